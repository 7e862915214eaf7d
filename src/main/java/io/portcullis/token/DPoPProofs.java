package io.portcullis.token;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DPoP proof checking (RFC 9449 section 4.3), shared by the token endpoint and the gateway. A plain
 * class: the caller says which method and URL the proof must be for, which token it must be bound
 * to (ath), and how a jti is remembered.
 */
public final class DPoPProofs {
    /** Asymmetric algorithms only (section 4.3 item 5). */
    private static final List<String> ALGORITHMS = io.portcullis.keys.JwsAlgorithm.NAMES;
    /** How old (or how far ahead, for clock skew) a proof's iat may be. */
    public static final long MAX_AGE_SECONDS = 60;
    static final long MAX_SKEW_SECONDS = 5;
    static final int MAX_PROOF_LENGTH = 8192;
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private DPoPProofs() {
    }

    /** A valid proof: the thumbprint (RFC 7638) of its key, which a token is bound to. */
    public record Proof(String jkt) {
    }

    /** Remembers a jti for its window; false when it was seen before (a replay). */
    public interface ReplayGuard {
        boolean firstUse(String jkt, String jti, long expiresAtEpochSecond);
    }

    public static class InvalidProofException extends RuntimeException {
        public InvalidProofException(String description) {
            super(description, null, false, false);
        }
    }

    /**
     * RFC 9449 section 4.3.
     *
     * @param accessToken the token the proof must be bound to (its ath), or null at the token endpoint
     */
    public static Proof check(List<String> headers, String method, String url, String accessToken, long now, ReplayGuard replay) {
        if (headers == null || headers.isEmpty()) {
            throw new InvalidProofException("The DPoP proof is missing");
        }
        if (headers.size() > 1) {
            throw new InvalidProofException("More than one DPoP proof was sent");
        }
        String proof = headers.get(0);
        if (proof.length() > MAX_PROOF_LENGTH || proof.chars().filter(c -> c == '.').count() != 2) {
            throw new InvalidProofException("The DPoP proof is not a JWT");
        }
        JsonWebSignature jws = new JsonWebSignature();
        PublicJsonWebKey jwk;
        Map<String, Object> claims;
        try {
            jws.setCompactSerialization(proof);
            if (!"dpop+jwt".equals(jws.getHeader("typ"))) {
                throw new InvalidProofException("The DPoP proof's typ is not dpop+jwt");
            }
            if (!ALGORITHMS.contains(jws.getAlgorithmHeaderValue())) {
                throw new InvalidProofException("The DPoP proof's alg is not one of " + String.join(" ", ALGORITHMS));
            }
            Object jwkHeader = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(proof.substring(0, proof.indexOf('.'))),
                    StandardCharsets.UTF_8)).get("jwk");
            if (!(jwkHeader instanceof Map<?, ?> jwkMembers) || jwkMembers.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
                throw new InvalidProofException("The DPoP proof's jwk must be a public key");
            }
            jwk = jws.getJwkHeader();
            if (jwk == null || jwk.getPublicKey() == null) {
                throw new InvalidProofException("The DPoP proof's jwk must be a public key");
            }
            jws.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                    org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new)));
            jws.setKey(jwk.getPublicKey());
            if (!jws.verifySignature()) {
                throw new InvalidProofException("The DPoP proof's signature does not verify");
            }
            claims = JsonUtil.parseJson(jws.getPayload());
        } catch (JoseException | IllegalArgumentException | ClassCastException e) {
            throw new InvalidProofException("The DPoP proof is malformed");
        }
        String jti = string(claims, "jti");
        String htm = string(claims, "htm");
        String htu = string(claims, "htu");
        if (jti == null || jti.isEmpty() || jti.length() > 256 || htm == null || htu == null || !(claims.get("iat") instanceof Number iatNumber)) {
            throw new InvalidProofException("The DPoP proof lacks jti, htm, htu or iat");
        }
        if (!htm.equals(method)) {
            throw new InvalidProofException("The DPoP proof is for another HTTP method");
        }
        if (!sameUrl(htu, url)) {
            throw new InvalidProofException("The DPoP proof is for another URL");
        }
        long iat = iatNumber.longValue();
        if (iat < now - MAX_AGE_SECONDS || iat > now + MAX_SKEW_SECONDS) {
            throw new InvalidProofException("The DPoP proof is too old, or from the future");
        }
        if (accessToken != null) {
            String ath = string(claims, "ath");
            if (ath == null || !MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
                    accessTokenHash(accessToken).getBytes(StandardCharsets.US_ASCII))) {
                throw new InvalidProofException("The DPoP proof's ath is not the hash of the access token");
            }
        }
        String jkt = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        if (!replay.firstUse(jkt, jti, iat + MAX_AGE_SECONDS + MAX_SKEW_SECONDS)) {
            throw new InvalidProofException("The DPoP proof was used before");
        }
        return new Proof(jkt);
    }

    /** RFC 9449 section 4.2: base64url of the SHA-256 of the token's ASCII. */
    public static String accessTokenHash(String accessToken) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Section 4.3 item 9: htu matches the request URL without query and fragment (RFC 3986 syntax-based normalisation). */
    static boolean sameUrl(String htu, String url) {
        try {
            return normalise(URI.create(htu)).equals(normalise(URI.create(url)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
            port = -1;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host + (port < 0 ? "" : ":" + port) + path;
    }

    private static String string(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String s ? s : null;
    }
}

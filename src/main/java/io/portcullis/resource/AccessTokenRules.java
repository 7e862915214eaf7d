package io.portcullis.resource;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.token.VerifiedToken;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of {@link AccessTokenGuard}, without HTTP or state, in the order they are taken
 * (docs/contract.md#gateway). Each failure is a {@link BearerError} worded for the caller.
 */
public final class AccessTokenRules {
    /** RFC 6750 section 2.1's b64token characters (before any trailing '='), by ISO-8859-1 byte. */
    private static final boolean[] B64TOKEN = new boolean[256];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".toCharArray()) {
            B64TOKEN[c] = true;
        }
    }

    private AccessTokenRules() {
    }


    /** How the token came: with the Bearer scheme (RFC 6750) or the DPoP scheme (RFC 9449 section 7.1). */
    public record Presentation(String token, boolean dpop) {
    }

    /** The token and its scheme; RFC 6750 section 2.1 and RFC 9449 section 7.1. */
    public static Presentation presentation(List<String> authorization, String realm) {
        if (authorization != null && authorization.size() == 1) {
            String dpop = credentials(authorization.get(0), "DPoP");
            if (dpop != null) {
                return new Presentation(dpop, true);
            }
        }
        return new Presentation(bearerToken(authorization, realm), false);
    }

    /**
     * RFC 9449 sections 7.1 and 7.2: a token bound to a key is accepted only with the DPoP scheme and a
     * proof of that key for this request; an API that requires DPoP accepts only bound tokens; a bound
     * scheme with an unbound token is refused too.
     */
    public static void checkProofOfPossession(ApiView api, VerifiedToken token, Presentation presentation, List<String> proofs,
                                              String method, String url, long now, io.portcullis.token.DPoPProofs.ReplayGuard replay) {
        if (!token.isDPoPBound()) {
            if (presentation.dpop() || api.dpopRequired()) {
                throw BearerError.dpop(api.id(), "invalid_token", "The access token is not bound to a DPoP key");
            }
            return;
        }
        if (!presentation.dpop()) {
            throw BearerError.dpop(api.id(), "invalid_token", "The access token is bound to a key: present it with the DPoP scheme and a proof");
        }
        // the proof's key is compared with the token's before its jti is remembered: a proof of another
        // key must not fill the replay store
        io.portcullis.token.DPoPProofs.ReplayGuard bound = (jkt, jti, expiresAt) -> {
            if (!jkt.equals(token.jkt())) {
                throw BearerError.dpop(api.id(), "invalid_dpop_proof", "The DPoP proof is signed by another key than the token is bound to");
            }
            return replay.firstUse(jkt, jti, expiresAt);
        };
        try {
            io.portcullis.token.DPoPProofs.check(proofs, method, url, presentation.token(), now, bound);
        } catch (io.portcullis.token.DPoPProofs.InvalidProofException e) {
            throw BearerError.dpop(api.id(), "invalid_dpop_proof", e.getMessage());
        }
    }

    /**
     * RFC 8705 section 3: a token bound to a certificate is accepted only from a caller presenting that
     * certificate; an API that requires mutual TLS accepts only bound tokens. Checked beside any DPoP
     * binding, never instead of it.
     *
     * @param presented the {@code x5t#S256} of the request's client certificate, or null; asked only when needed
     */
    public static void checkCertificateBinding(ApiView api, VerifiedToken token, java.util.function.Supplier<String> presented) {
        if (!token.isCertificateBound()) {
            if (api.mtlsRequired()) {
                throw BearerError.invalidToken(api.id(), "The access token is not bound to a client certificate");
            }
            return;
        }
        String thumbprint = presented.get();
        if (thumbprint == null) {
            throw BearerError.invalidToken(api.id(), "The access token is bound to a client certificate: present it");
        }
        if (!java.security.MessageDigest.isEqual(thumbprint.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                token.x5t().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw BearerError.invalidToken(api.id(), "The access token is bound to another client certificate");
        }
    }

    /** RFC 6750 section 2.1; a token in the query or the body is not accepted. */
    public static String bearerToken(List<String> authorization, String realm) {
        if (authorization == null || authorization.isEmpty()) {
            throw BearerError.missing(realm);
        }
        if (authorization.size() > 1) {
            throw BearerError.malformed(realm, "The Authorization header is given more than once");
        }
        String header = authorization.get(0);
        String token = credentials(header, "Bearer");
        if (token != null) {
            return token;
        }
        if (header.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw BearerError.invalidToken(realm, "The access token is malformed");
        }
        throw BearerError.missing(realm);
    }

    /**
     * The b64token after a case-insensitive scheme and one space (RFC 6750 section 2.1, RFC 9449
     * section 7.1), or null. A scan, not a regular expression: on a token of a thousand characters
     * a regex character class was a third of the gateway's CPU.
     */
    public static String credentials(String header, String scheme) {
        int start = scheme.length() + 1;
        if (header.length() <= start || header.charAt(scheme.length()) != ' ' || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        int end = header.length();
        while (end > start && header.charAt(end - 1) == '=') {
            end--;
        }
        if (end == start) {
            return null;
        }
        // over the bytes of a copy: a header value is ISO-8859-1, and a character beyond it becomes '?', which is
        // no b64token character either; String.charAt's checks per character were 3% of a warm gateway request
        byte[] bytes = header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = start; i < end; i++) {
            if (!B64TOKEN[bytes[i] & 0xFF]) {
                return null;
            }
        }
        return header.substring(start);
    }

    /**
     * RFC 9068 section 4 and RFC 8725 section 3.11: the token's typ is exactly the one this API's
     * tokens carry, so that no other JWT passes for one of its access tokens.
     */
    public static void checkType(ApiView api, VerifiedToken token) {
        if (token.type() != api.accessTokenType()) {
            throw BearerError.invalidToken(api.id(), "The token is not an access token of this API");
        }
    }

    /**
     * RFC 9068 section 4: the token must be for this API, from one of this server's issuers for it;
     * and that issuer must still stand: its auth method enabled and still accepted by the API, or the
     * token is refused like a revoked one (docs/contract.md#gateway).
     */
    public static void checkAudienceAndIssuer(ApiView api, VerifiedToken token, String baseUrl, Optional<AuthMethodView> authMethod) {
        if (!api.id().equals(token.audience())) {
            throw BearerError.invalidToken(api.id(), "The access token is not for this API");
        }
        String expected = io.portcullis.token.IssuerIdentifier.of(baseUrl, token.authMethod(), api.id());
        if (!expected.equals(token.issuer())) {
            throw BearerError.invalidToken(api.id(), "The access token is not for this API");
        }
        if (!api.accepts(token.authMethod()) || authMethod.isEmpty() || !authMethod.get().enabled()
                || !authMethod.get().id().equals(token.authMethod())) {
            throw BearerError.invalidToken(api.id(), "The access token was issued by an auth method this API no longer accepts");
        }
    }

    /** A token outlives nothing it was issued for: a subscription deleted or unapproved since then ends it. */
    public static void checkSubscription(ApiView api, VerifiedToken token, Optional<RegisteredClient> client) {
        RegisteredClient view = client.orElse(null);
        if (view == null || !view.subscriptionId().toString().equals(token.subscriptionId())
                || !view.apiId().equals(api.id())) {
            throw BearerError.invalidToken(api.id(), "The subscription of this access token no longer exists");
        }
        if (!view.approved()) {
            throw BearerError.invalidToken(api.id(), "The subscription of this access token is not approved");
        }
    }

    /** RFC 6750 section 3.1 insufficient_scope, naming what the route needs. */
    public static void checkScopes(ApiView api, VerifiedToken token, String method, String pathInApi) {
        Set<String> required = api.requiredScopes(method, pathInApi);
        if (!token.scopes().containsAll(required)) {
            throw BearerError.insufficientScope(api.id(), required);
        }
    }
}

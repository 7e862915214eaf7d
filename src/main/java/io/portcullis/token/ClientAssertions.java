package io.portcullis.token;

import io.portcullis.keys.RemoteKeySets;
import io.portcullis.registry.RegisteredClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.util.List;

/**
 * private_key_jwt: JWT client assertions (RFC 7523 section 3, RFC 7521 section 4.2), signed with a
 * key of the subscription's registered JWK set. Each assertion's jti is accepted once, across
 * replicas (the used_assertion table).
 */
@ApplicationScoped
public class ClientAssertions {
    static final int MAX_ASSERTION_LENGTH = 16384;
    /** "exp is near": an assertion may not claim to be valid for longer than this. */
    static final int MAX_LIFETIME_MINUTES = 5;
    private static final String[] ALGORITHMS = io.portcullis.keys.JwsAlgorithm.names();

    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification().build();

    static final int CLOCK_SKEW_SECONDS = 30;

    private final OneTimeIds ids;
    private final boolean acceptTokenEndpointAudience;
    private final RemoteKeySets remoteKeySets;

    public ClientAssertions(OneTimeIds ids, io.portcullis.config.PortcullisConfig config, RemoteKeySets remoteKeySets) {
        this.ids = ids;
        this.remoteKeySets = remoteKeySets;
        this.acceptTokenEndpointAudience = config.assertions().acceptTokenEndpointAudience();
    }

    /**
     * The client id the assertion claims to be from (its sub, which must equal its iss), read
     * before the signature is checked so that the keys can be found.
     *
     * @return null when the assertion cannot be read, or contradicts client_id
     */
    public String claimedClientId(String assertion, String clientIdParameter) {
        if (assertion == null || assertion.length() > MAX_ASSERTION_LENGTH) {
            return null;
        }
        try {
            JwtClaims claims = UNVERIFIED.processToClaims(assertion);
            String sub = claims.getSubject();
            if (sub == null || !sub.equals(claims.getIssuer())
                    || (clientIdParameter != null && !clientIdParameter.equals(sub))) {
                return null;
            }
            return sub;
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException e) {
            return null;
        }
    }

    /**
     * RFC 7523 section 3, as draft-ietf-oauth-rfc7523bis tightens it: iss and sub are the client; aud
     * is this authorization server's issuer identifier and nothing else ({@link #audienceAccepted});
     * typ, when present, says a client assertion, not an access token or a DPoP proof (token
     * confusion); exp near; a signature by the client's key; a jti not seen before.
     */
    public boolean verify(RegisteredClient client, String assertion, String issuer) {
        if (!client.hasPublicKeys()) {
            return false;
        }
        JwtClaims claims;
        try {
            org.jose4j.jwt.consumer.JwtContext context = new JwtConsumerBuilder()
                    .setExpectedIssuer(client.clientId())
                    .setExpectedSubject(client.clientId())
                    .setSkipDefaultAudienceValidation()
                    .setRequireExpirationTime()
                    .setMaxFutureValidityInMinutes(MAX_LIFETIME_MINUTES)
                    .setRequireJwtId()
                    .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                    .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                    .setVerificationKeyResolver(keysOf(client))
                    .build()
                    .process(assertion);
            if (!typeAccepted(context.getJoseObjects().get(0).getHeader("typ"))) {
                return false;
            }
            claims = context.getJwtClaims();
            if (!audienceAccepted(claims.getAudience(), issuer, acceptTokenEndpointAudience)) {
                return false;
            }
            // remembered past exp by the skew that would still accept it
            return firstUse(client.clientId(), claims.getJwtId(), claims.getExpirationTime().getValue() + CLOCK_SKEW_SECONDS);
        } catch (InvalidJwtException | JoseException | org.jose4j.jwt.MalformedClaimException e) {
            return false;
        }
    }

    /**
     * draft-ietf-oauth-rfc7523bis section 4 (and the 2025 audience-injection advisory): the audience is
     * the issuer identifier alone, as a string or as an array of that one value. The token,
     * introspection and revocation URLs, and arrays naming anyone else too, are refused: an assertion
     * made for another party must not be replayable here. The one compatibility setting also accepts
     * the token endpoint URL, alone, for clients written to RFC 7523's looser wording.
     */
    static boolean audienceAccepted(List<String> audience, String issuer, boolean acceptTokenEndpoint) {
        if (audience == null || audience.size() != 1) {
            return false;
        }
        String aud = audience.get(0);
        return aud.equals(issuer) || (acceptTokenEndpoint && aud.equals(issuer + "/token"));
    }

    /** draft-ietf-oauth-rfc7523bis section 4: no typ, JWT, or client-authentication+jwt; never at+jwt or dpop+jwt. */
    static boolean typeAccepted(String typ) {
        if (typ == null) {
            return true;
        }
        String t = typ.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        return t.equals("jwt") || t.equals("client-authentication+jwt");
    }

    private VerificationKeyResolver keysOf(RegisteredClient client) throws JoseException {
        if (client.jwks() != null) {
            return new JwksVerificationKeyResolver(new JsonWebKeySet(client.jwks()).getJsonWebKeys());
        }
        // fetched off the request path and cached: this reads what this replica has now
        return (jws, nesting) -> new JwksVerificationKeyResolver(remoteKeySets.keys(client.jwksUri(), jws.getKeyIdHeaderValue()))
                .resolveKey(jws, nesting);
    }

    private boolean firstUse(String clientId, String jti, long expiresAt) {
        return ids.firstUse(OneTimeIds.Kind.ASSERTION, clientId, jti, expiresAt);
    }
}

package io.portcullis.token;

import io.portcullis.registry.ClientView;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final String[] ALGORITHMS = io.portcullis.keys.SigningKeys.JWS_ALGORITHMS.toArray(String[]::new);
    public static final Set<String> SIGNING_ALGORITHMS = io.portcullis.keys.SigningKeys.ALGORITHMS;

    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification().build();

    private final OneTimeIds ids;
    private final Map<String, HttpsJwks> remoteKeySets = new ConcurrentHashMap<>();

    public ClientAssertions(OneTimeIds ids) {
        this.ids = ids;
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

    /** RFC 7523 section 3: iss and sub are the client, aud is us, exp near, a signature by the client's key, a new jti. */
    public boolean verify(ClientView client, String assertion, Set<String> audiences) {
        if (!client.hasPublicKeys()) {
            return false;
        }
        JwtClaims claims;
        try {
            claims = new JwtConsumerBuilder()
                    .setExpectedIssuer(client.clientId())
                    .setExpectedSubject(client.clientId())
                    .setExpectedAudience(true, audiences.toArray(String[]::new))
                    .setRequireExpirationTime()
                    .setMaxFutureValidityInMinutes(MAX_LIFETIME_MINUTES)
                    .setRequireJwtId()
                    .setAllowedClockSkewInSeconds(30)
                    .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                    .setVerificationKeyResolver(keysOf(client))
                    .build()
                    .processToClaims(assertion);
        } catch (InvalidJwtException | JoseException e) {
            return false;
        }
        try {
            return firstUse(client.clientId(), claims.getJwtId(), claims.getExpirationTime().getValue());
        } catch (org.jose4j.jwt.MalformedClaimException e) {
            return false;
        }
    }

    private VerificationKeyResolver keysOf(ClientView client) throws JoseException {
        if (client.jwks() != null) {
            return new JwksVerificationKeyResolver(new JsonWebKeySet(client.jwks()).getJsonWebKeys());
        }
        // jose4j's HttpsJwks caches the fetched set and refetches for an unknown kid
        return new HttpsJwksVerificationKeyResolver(remoteKeySets.computeIfAbsent(client.jwksUri(), HttpsJwks::new));
    }

    private boolean firstUse(String clientId, String jti, long expiresAt) {
        return ids.firstUse(OneTimeIds.Kind.ASSERTION, clientId, jti, expiresAt);
    }
}

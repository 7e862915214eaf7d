package io.portcullis.federation;

import io.portcullis.keys.JwsAlgorithm;
import io.portcullis.keys.RemoteKeySets;
import io.portcullis.registry.TrustedIssuerView;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * A workload's JWT presented as its client assertion (RFC 7521 section 4.2, RFC 7523 section 2.2;
 * draft-ietf-oauth-spiffe-client-auth for JWT-SVIDs), checked as docs/contract.md#federated-workload-identity
 * says: the exact issuer, an asymmetric signature by one of that issuer's keys, an audience of its,
 * a time window with 30 s of skew, a lifetime no longer than the issuer allows, and a subject.
 *
 * <p>Unlike a private_key_jwt assertion, the same JWT may be presented again while it is valid: the
 * platform rotates it, not the workload. Every refusal is the same {@code null}: the caller answers
 * {@code invalid_client} with no hint of which check failed.
 */
@ApplicationScoped
public class WorkloadAssertions {
    static final int MAX_ASSERTION_LENGTH = 16384;
    static final int CLOCK_SKEW_SECONDS = 30;
    /** draft-ietf-oauth-spiffe-client-auth section 4. */
    public static final String JWT_SPIFFE = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
    private static final String[] ALGORITHMS = JwsAlgorithm.names();
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder()
            .setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification().build();

    private final BiFunction<TrustedIssuerView, String, List<JsonWebKey>> remoteKeys;

    @jakarta.inject.Inject
    public WorkloadAssertions(RemoteKeySets remoteKeySets) {
        this(remoteKeySets::keys);
    }

    /** @param remoteKeys an issuer's fetched keys as this replica has them, for a kid (or null) */
    WorkloadAssertions(BiFunction<TrustedIssuerView, String, List<JsonWebKey>> remoteKeys) {
        this.remoteKeys = remoteKeys;
    }

    /**
     * The assertion read before anything is verified, to find its issuer by {@link #claimedIssuer};
     * null when it is no JWT. {@link #verify} checks this same parse, so that a token is read once.
     */
    public static JwtContext parse(String assertion) {
        if (assertion == null || assertion.length() > MAX_ASSERTION_LENGTH) {
            return null;
        }
        try {
            return UNVERIFIED.process(assertion);
        } catch (InvalidJwtException e) {
            return null;
        }
    }

    /** The {@code iss} a parsed assertion claims, unverified; else null. */
    public static String claimedIssuer(JwtContext parsed) {
        try {
            return parsed == null ? null : parsed.getJwtClaims().getIssuer();
        } catch (MalformedClaimException e) {
            return null;
        }
    }

    /**
     * @param nowEpochSecond the time to judge {@code exp}, {@code nbf} and {@code iat} by
     * @return the workload's subject when every check passes, else null
     */
    public String verify(TrustedIssuerView issuer, JwtContext parsed, long nowEpochSecond) {
        if (parsed == null) {
            return null;
        }
        try {
            JwtContext context = parsed;
            new JwtConsumerBuilder()
                    .setExpectedIssuer(true, issuer.issuer())
                    .setExpectedAudience(true, issuer.audiences().toArray(String[]::new))
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                    .setEvaluationTime(NumericDate.fromSeconds(nowEpochSecond))
                    .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                    .setVerificationKeyResolver((jws, nesting) -> new JwksVerificationKeyResolver(keys(issuer, jws.getKeyIdHeaderValue()))
                            .resolveKey(jws, nesting))
                    .build()
                    .processContext(context);
            if (!typeAccepted(context.getJoseObjects().get(0).getHeader("typ"))) {
                return null;
            }
            JwtClaims claims = context.getJwtClaims();
            long exp = claims.getExpirationTime().getValue();
            NumericDate iat = claims.getIssuedAt();
            if (iat != null && iat.getValue() > nowEpochSecond + CLOCK_SKEW_SECONDS) {
                return null;
            }
            // without iat, what is left of its life must fit
            long lifetime = exp - (iat != null ? iat.getValue() : nowEpochSecond);
            if (lifetime > issuer.maxTokenLifetimeSeconds()) {
                return null;
            }
            String subject = claims.getSubject();
            return subject == null || subject.isEmpty() ? null : subject;
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return null;
        }
    }

    private List<JsonWebKey> keys(TrustedIssuerView issuer, String kid) {
        return issuer.inlineKeys().isEmpty() ? remoteKeys.apply(issuer, kid) : issuer.inlineKeys();
    }

    /**
     * A platform's identity token, not an access token or a DPoP proof of ours presented in its place
     * (token confusion): no {@code typ}, or {@code JWT}.
     */
    static boolean typeAccepted(String typ) {
        if (typ == null) {
            return true;
        }
        String t = typ.toLowerCase(Locale.ROOT);
        return t.equals("jwt") || t.equals("application/jwt");
    }
}

package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.AccessTokenType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.UnresolvableKeyException;

import java.security.Key;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies access tokens (RFC 9068 section 4) with the keys of {@code /auth/jwks}, held in memory,
 * for the gateway and for introspection. A verified token is remembered until it expires (bounded),
 * so that the hot path is a lookup; revocation is checked on every call, and what depends on the
 * API or the registry is checked by the caller.
 */
@ApplicationScoped
public class AccessTokenVerifier {
    /** Tokens are never longer than this; anything bigger is refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 16384;
    /** The most the verified-token cache holds (keys and values, roughly). */
    public static final long VERIFIED_CACHE_BYTES = 64L * 1024 * 1024;
    /** What is not the server's own: the claims of docs/contract.md#token-policy. */
    private static java.util.Map<String, Object> extraClaims(org.jose4j.jwt.JwtClaims claims) {
        java.util.Map<String, Object> extra = claims.getClaimsMap(io.portcullis.registry.TokenClaims.RESERVED);
        return extra.isEmpty() ? java.util.Map.of() : java.util.Collections.unmodifiableMap(extra);
    }

    private static final String[] ALGORITHMS = io.portcullis.keys.JwsAlgorithm.names();

    private final SigningKeys keys;
    private final Revocations revocations;
    private final JwtConsumer consumer;
    private final Cache<TokenKey, VerifiedToken> verified;

    /** Why a token is not accepted, in words fit for the caller. */
    public static class InvalidAccessTokenException extends RuntimeException {
        public InvalidAccessTokenException(String description) {
            super(description, null, false, false);
        }
    }

    public AccessTokenVerifier(SigningKeys keys, Revocations revocations, io.micrometer.core.instrument.MeterRegistry meters) {
        this.keys = keys;
        // the bean, not its client proxy (see GatewayRoute)
        this.revocations = io.quarkus.arc.ClientProxy.unwrap(revocations);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(30)
                // audience is checked per API by the caller
                .setSkipDefaultAudienceValidation()
                // typ (RFC 9068 section 4) is read below: it must be the one of the API the token is for
                // only our asymmetric algorithms: no "none", no HMAC keyed with a public key
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS))
                .setVerificationKeyResolver((jws, nestingContext) -> resolve(jws))
                .build();
        this.verified = Caffeine.newBuilder()
                // Caffeine's upkeep (draining its read buffer, expiring) on the reading thread, amortised, rather than
                // handed to ForkJoinPool.commonPool: the hand-off woke a pool thread every few reads, ~3% of a warm
                // gateway request's CPU in an async-profiler profile
                .executor(Runnable::run)
                // expired tokens swept when they expire, on the JDK's timer thread: else, after a quiet spell, the
                // first read on an event loop would sweep every token that expired meanwhile (tens of thousands)
                .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                // by weight, not count: a token may be 8,192 characters, and 50,000 of those would be 800 MB
                .maximumWeight(VERIFIED_CACHE_BYTES)
                .weigher((TokenKey key, VerifiedToken value) -> key.token.length() * 2 + 600)
                .expireAfter(new Expiry<TokenKey, VerifiedToken>() {
                    @Override
                    public long expireAfterCreate(TokenKey key, VerifiedToken value, long currentTime) {
                        return Math.max(0, value.expiresAt() * 1_000_000_000L - System.currentTimeMillis() * 1_000_000L);
                    }

                    @Override
                    public long expireAfterUpdate(TokenKey key, VerifiedToken value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }

                    @Override
                    public long expireAfterRead(TokenKey key, VerifiedToken value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .recordStats()
                .build();
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, verified, "verified-tokens");
    }

    private Key resolve(JsonWebStructure jws) throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        Key key = kid == null ? null : keys.verificationKey(kid);
        if (key == null) {
            throw new UnresolvableKeyException("no published key has this kid");
        }
        return key;
    }

    /**
     * @return the token's claims, from the cache when it was verified before
     * @throws InvalidAccessTokenException when it is not a live access token of this server
     */
    public VerifiedToken verify(String token) {
        TokenKey key = new TokenKey(token);
        VerifiedToken result = verified.getIfPresent(key);
        if (result == null) {
            result = verifyUncached(token);
            verified.put(key, result);
        } else if (result.expiresAt() * 1000 <= System.currentTimeMillis()) {
            throw new InvalidAccessTokenException("The access token has expired");
        }
        if (revocations.isRevoked(result.jti())) {
            throw new InvalidAccessTokenException("The access token has been revoked");
        }
        return result;
    }

    /**
     * A token as the cache's key, hashed on its last characters only. String's hash reads every one of a
     * 700-character token's characters in a chain of multiplications (2% of a warm gateway request's CPU
     * on Java 17); the last 32 are the signature's. Only tokens that verified are stored, and only in
     * their one compact form ({@link #compactSerialization}): a caller can neither choose a stored token's
     * last characters nor store spellings of one token that share them, so entries do not pile up under
     * one hash. A lookup of any other token finds at most the entries any lookup would compare against.
     * Equality is still on the whole token.
     */
    /**
     * RFC 7515 section 7.1 with section 2's BASE64URL (no padding, no other character): three parts of
     * the URL-safe alphabet. jose4j's decoder skips characters outside it and stops at '=', so without
     * this one token would verify in endless spellings ("~" anywhere in its signature, '=' after it).
     */
    static boolean compactSerialization(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    static final class TokenKey {
        private static final int HASHED = 32;
        final String token;
        private final int hash;

        TokenKey(String token) {
            this.token = token;
            int h = 0;
            for (int i = Math.max(0, token.length() - HASHED); i < token.length(); i++) {
                h = 31 * h + token.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TokenKey key && key.token.equals(token);
        }
    }

    private VerifiedToken verifyUncached(String token) {
        if (token.length() > MAX_TOKEN_LENGTH || !compactSerialization(token)) {
            throw new InvalidAccessTokenException("The access token is malformed");
        }
        VerifiedToken result;
        try {
            org.jose4j.jwt.consumer.JwtContext context = consumer.process(token);
            JwtClaims claims = context.getJwtClaims();
            AccessTokenType type = AccessTokenType.ofHeader(context.getJoseObjects().get(0).getHeader("typ"));
            if (type == null) {
                throw new InvalidAccessTokenException("The token is not an access token");
            }
            result = VerifiedToken.builder()
                    .issuer(claims.getIssuer())
                    .audience(single(claims.getAudience()))
                    .clientId(claims.getStringClaimValue("client_id"))
                    .subscriptionId(claims.getStringClaimValue("subscription"))
                    .applicationId(claims.getStringClaimValue("application"))
                    .planId(claims.getStringClaimValue("plan"))
                    .authMethod(claims.getStringClaimValue("auth_method"))
                    .scopes(scopes(claims.getStringClaimValue("scope")))
                    .issuedAt(claims.getIssuedAt().getValue())
                    .expiresAt(claims.getExpirationTime().getValue())
                    .jti(claims.getJwtId())
                    .subject(claims.getSubject())
                    .jkt(confirmation(claims, "jkt"))
                    .x5t(confirmation(claims, "x5t#S256"))
                    .type(type)
                    .extraClaims(extraClaims(claims))
                    .build();
        } catch (InvalidJwtException e) {
            throw new InvalidAccessTokenException(e.hasExpired() ? "The access token has expired" : "The access token is invalid");
        } catch (MalformedClaimException e) {
            throw new InvalidAccessTokenException("The access token is invalid");
        }
        if (result.clientId() == null || result.subscriptionId() == null || result.audience() == null) {
            throw new InvalidAccessTokenException("The access token is invalid");
        }
        return result;
    }

    /** A member of the token's {@code cnf} claim (RFC 7800 section 3.1), or null. */
    private static String confirmation(JwtClaims claims, String member) {
        return claims.getClaimValue("cnf") instanceof java.util.Map<?, ?> cnf && cnf.get(member) instanceof String value ? value : null;
    }

    private static String single(List<String> audience) {
        return audience.size() == 1 ? audience.get(0) : null;
    }

    private static Set<String> scopes(String scope) {
        return scope == null || scope.isEmpty() ? Set.of() : Set.copyOf(new LinkedHashSet<>(Arrays.asList(scope.split(" "))));
    }
}

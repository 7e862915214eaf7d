package io.portcullis.resource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.Registry;
import io.portcullis.token.AccessTokenVerifier;
import io.portcullis.token.DPoPProofs;
import io.portcullis.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one access-token guard. The gateway, the admin API and introspection all ask it, so that a
 * presented token means the same everywhere and a rule added here holds everywhere: signature,
 * {@code typ} and {@code alg}, time and revocation ({@link AccessTokenVerifier}, RFC 9068 section 4),
 * audience and issuer, the issuing auth method, the sender constraints (RFC 9449 section 7 and RFC
 * 8705 section 3), the subscription and the scopes ({@link AccessTokenRules}).
 *
 * <p>Two stages, because the gateway answers the first on the event loop and may have to read the
 * subscription from the database before the second.
 */
@ApplicationScoped
public class AccessTokenGuard {
    private final AccessTokenVerifier verifier;
    private final Registry registry;
    private final PortcullisConfig config;
    /**
     * DPoP proof jtis seen at the resources of this replica (the gateway and the admin API); a shared
     * write per request would cost more than it protects, since a proof lives a minute. Keyed only
     * after the proof's key is known to be the token's.
     */
    private final Cache<String, Boolean> proofIds = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(DPoPProofs.MAX_AGE_SECONDS + 10))
            // by weight: a jti may be 256 characters
            .maximumWeight(PROOF_IDS_BYTES)
            .weigher((String key, Boolean value) -> key.length() * 2 + 96)
            .build();
    /** The most the DPoP proof-id store holds. */
    public static final long PROOF_IDS_BYTES = 32L * 1024 * 1024;
    private final DPoPProofs.ReplayGuard replay = (jkt, jti, expiresAt) -> proofIds.asMap().putIfAbsent(jkt + " " + jti, Boolean.TRUE) == null;

    public AccessTokenGuard(AccessTokenVerifier verifier, Registry registry, PortcullisConfig config) {
        // the beans themselves, not their client proxies: a proxy looks its instance up on every call, 2% of a
        // warm gateway request's CPU samples in async-profiler (see GatewayRoute)
        this.verifier = io.quarkus.arc.ClientProxy.unwrap(verifier);
        this.registry = io.quarkus.arc.ClientProxy.unwrap(registry);
        this.config = config;
    }

    /**
     * A protected-resource request as the guard needs it.
     *
     * @param authorization the Authorization header's values
     * @param dpop          the DPoP header's values
     * @param method        the request method, which a DPoP proof must name
     * @param url           the URL the caller used (public URL and path, no query), which a DPoP proof must name
     * @param certificate   the {@code x5t#S256} of the client certificate the request came with, or null; asked
     *                      only for a certificate-bound token or an API that requires one
     */
    public record Request(List<String> authorization, List<String> dpop, String method, String url,
                          java.util.function.Supplier<String> certificate) {
    }

    /**
     * Stage one, no I/O: the token is a live access token of this server for this API, from an auth
     * method that still stands, presented as its binding requires.
     *
     * @throws BearerError worded for the caller, with the scheme the API asks for
     */
    public VerifiedToken authenticate(ApiView api, Request request, long nowEpochSecond) {
        return authenticateWithProof(api, request, nowEpochSecond).token();
    }

    /**
     * What stage one saw: the token, and the id of the DPoP proof it accepted (its key's thumbprint and
     * its jti), or null without one, for a store shared by every replica to remember too.
     */
    public record Authenticated(VerifiedToken token, String proofId, long proofExpiresAt) {
    }

    /** {@link #authenticate}, saying which DPoP proof was accepted. */
    public Authenticated authenticateWithProof(ApiView api, Request request, long nowEpochSecond) {
        try {
            AccessTokenRules.Presentation presentation = AccessTokenRules.presentation(request.authorization(), api.id());
            VerifiedToken token = verified(api, presentation.token());
            AccessTokenRules.checkCertificateBinding(api, token, request.certificate());
            String[] proofId = new String[1];
            long[] proofExpires = new long[1];
            AccessTokenRules.checkProofOfPossession(api, token, presentation, request.dpop(), request.method(), request.url(),
                    nowEpochSecond, (jkt, jti, expiresAt) -> {
                        if (!replay.firstUse(jkt, jti, expiresAt)) {
                            return false;
                        }
                        proofId[0] = jkt + " " + jti;
                        proofExpires[0] = expiresAt;
                        return true;
                    });
            return new Authenticated(token, proofId[0], proofExpires[0]);
        } catch (AccessTokenVerifier.InvalidAccessTokenException e) {
            BearerError error = BearerError.invalidToken(api.id(), e.getMessage());
            throw api.dpopRequired() ? error.asDPoP() : error;
        } catch (BearerError e) {
            throw api.dpopRequired() && e.scheme.equals("Bearer") ? e.asDPoP() : e;
        }
    }

    /**
     * Stage two: what may have changed since the token was issued (the subscription deleted or no
     * longer approved), and the scopes the route needs.
     *
     * @param client the token's subscription as the registry has it now
     */
    public void authorize(ApiView api, VerifiedToken token, Optional<RegisteredClient> client, String method, String pathInApi) {
        AccessTokenRules.checkSubscription(api, token, client);
        AccessTokenRules.checkScopes(api, token, method, pathInApi);
    }

    /**
     * RFC 7662 section 2.2: whether a token is active at this API, by the same checks as the gateway's
     * except the proof of possession, which introspection cannot see (it reports {@code cnf} instead).
     */
    public Optional<VerifiedToken> active(ApiView api, String token) {
        try {
            VerifiedToken verified = verified(api, token);
            // the API's sender-constraint rules, as the gateway applies them (the binding itself is the resource server's to check)
            if ((api.mtlsRequired() && !verified.isCertificateBound()) || (api.dpopRequired() && !verified.isDPoPBound())) {
                return Optional.empty();
            }
            AccessTokenRules.checkSubscription(api, verified, registry.client(verified.clientId()));
            return Optional.of(verified);
        } catch (AccessTokenVerifier.InvalidAccessTokenException | BearerError e) {
            return Optional.empty();
        }
    }

    private VerifiedToken verified(ApiView api, String token) {
        VerifiedToken verified = verifier.verify(token);
        AccessTokenRules.checkType(api, verified);
        AccessTokenRules.checkAudienceAndIssuer(api, verified, config.baseUrl(), registry.authMethod(verified.authMethod()));
        return verified;
    }
}

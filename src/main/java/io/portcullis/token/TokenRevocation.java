package io.portcullis.token;

import io.portcullis.registry.RegisteredClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * RFC 7009 token revocation, by the token's own client. Answers 200 whatever the token was
 * (section 2.2: an invalid token needs no revoking), except one that belongs to another client,
 * which is refused (section 2.1).
 */
@ApplicationScoped
public class TokenRevocation {
    private final TokenEndpoints endpoints;
    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final Revocations revocations;

    private final RevocationRateLimiter limiter = new RevocationRateLimiter(RevocationRateLimiter.MAX_PER_MINUTE);

    public TokenRevocation(TokenEndpoints endpoints, ClientAuthenticator authenticator, AccessTokenVerifier verifier,
                           Revocations revocations) {
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.revocations = revocations;
    }

    /** @param certificate the caller's TLS client certificate, or null */
    public void revoke(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body,
                       io.portcullis.mtls.ClientCertificate certificate, String address) {
        endpoints.call(() -> {
            TokenEndpoints.Endpoint endpoint = endpoints.resolve(authMethodId, apiId);
            TokenRequest request = TokenEndpoints.parse(endpoint, contentType, authorization, body);
            RegisteredClient client = authenticator.authenticate(endpoint.api(), request, certificate, endpoint.issuer(), address).client();
            endpoint.requireAccepted();
            // no approval needed: revoking only takes away the caller's own access
            String token = request.parameter("token");
            if (token == null) {
                throw OAuthError.invalidRequest("token is missing");
            }
            VerifiedToken verified;
            try {
                verified = verifier.verify(token);
            } catch (AccessTokenVerifier.InvalidAccessTokenException e) {
                return null; // expired, revoked already, or never ours: nothing to do
            }
            if (!client.clientId().equals(verified.clientId())) {
                throw OAuthError.unauthorizedClient("The token was not issued to this client");
            }
            long retryAfter = limiter.acquire(client.clientId(), java.time.Instant.now().getEpochSecond());
            if (retryAfter > 0) {
                // every revocation is remembered by every replica until its token expires: a client that
                // issues and revokes in a loop must not grow that without bound
                throw OAuthError.revocationRateLimited(retryAfter);
            }
            revocations.revoke(verified.jti(), verified.clientId(), verified.expiresAt());
            return null;
        });
    }
}

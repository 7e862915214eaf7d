package io.portcullis.token;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.ClientView;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client authentication at the token endpoint (RFC 6749 section 2.3.1, section 3.2.1):
 * client_secret_basic and client_secret_post against the subscription's stored hash.
 *
 * <p>Every failure answers the same {@code invalid_client}, whichever part was wrong, and an
 * unknown client id costs the same hash comparison as a wrong secret.
 */
@ApplicationScoped
public class ClientAuthenticator {
    /** Client ids are made by {@link ClientSecrets#newClientId()}; anything else is unknown without asking the database. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.-]{8,64}");

    private final Registry registry;
    private final FailedAuthenticationLimiter limiter;

    public ClientAuthenticator(Registry registry, FailedAuthenticationLimiter limiter) {
        this.registry = registry;
        this.limiter = limiter;
    }

    /**
     * @return the subscription the credentials belong to, which is one of {@code api}'s
     * @throws OAuthError invalid_client (401), 429 when locked out, or unauthorized_client for a public client
     */
    public ClientView authenticate(ApiView api, TokenRequest request) {
        boolean basic = request.authenticationMethod() == ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        String clientId = request.clientId();
        if (clientId == null) {
            throw OAuthError.invalidClient(basic, api.id());
        }
        boolean wellFormed = CLIENT_ID.matcher(clientId).matches();
        if (wellFormed) {
            limiter.checkAllowed(clientId);
        }
        Optional<ClientView> found = wellFormed ? registry.client(clientId) : Optional.empty();
        ClientView client = found.orElse(null);
        if (client != null && !client.clientType().isConfidential() && client.apiId().equals(api.id())) {
            // RFC 6749 section 4.4: the grant is for confidential clients only
            throw OAuthError.unauthorizedClient("Public clients cannot use the client credentials grant");
        }
        String secret = request.clientSecret() == null ? "" : request.clientSecret();
        boolean secretMatches = ClientSecrets.matches(client == null ? null : client.clientSecretHash(), secret);
        if (client == null || !secretMatches || !client.apiId().equals(api.id())) {
            if (wellFormed) {
                limiter.recordFailure(clientId);
            }
            throw OAuthError.invalidClient(basic, api.id());
        }
        return client;
    }
}

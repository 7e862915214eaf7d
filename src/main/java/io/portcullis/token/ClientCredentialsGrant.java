package io.portcullis.token;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientView;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The token endpoint's decisions, in the order a careful server takes them: the endpoint exists,
 * the request is well-formed, the client is who it says, it may use this grant at this API, and
 * then which scopes it gets (RFC 6749 section 4.4, CONTRACT section 2).
 */
@ApplicationScoped
public class ClientCredentialsGrant {
    public static final String GRANT_TYPE = "client_credentials";

    private final TokenEndpoints endpoints;
    private final ClientAuthenticator authenticator;
    private final AccessTokenIssuer issuer;
    private final PortcullisConfig config;

    public ClientCredentialsGrant(TokenEndpoints endpoints, ClientAuthenticator authenticator, AccessTokenIssuer issuer,
                                  PortcullisConfig config) {
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.issuer = issuer;
        this.config = config;
    }

    public TokenResponse token(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body) {
        return endpoints.call(() -> decide(authMethodId, apiId, contentType, authorization, body));
    }

    private TokenResponse decide(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body) {
        TokenEndpoints.Endpoint endpoint = endpoints.resolve(authMethodId, apiId);
        ApiView api = endpoint.api();
        TokenRequest request = TokenEndpoints.parse(endpoint, contentType, authorization, body);
        // RFC 6749 section 4.4.2
        if (request.grantType() == null) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        if (!GRANT_TYPE.equals(request.grantType())) {
            throw OAuthError.unsupportedGrantType();
        }

        ClientView client = authenticator.authenticate(api, request, endpoint.assertionAudiences());

        // RFC 6749 section 5.2 unauthorized_client: authenticated, but not allowed this grant here
        endpoint.requireAccepted();
        if (!api.clientCredentialsEnabled()) {
            throw OAuthError.unauthorizedClient("API '" + api.id() + "' does not allow the client credentials grant");
        }
        if (!client.approved()) {
            throw OAuthError.unauthorizedClient("The subscription is not approved");
        }
        // RFC 8707 section 2: the only resource this endpoint serves is this API
        if (request.resource() != null && !request.resource().equals(config.resourceIdentifier(api.requestPath()))) {
            throw OAuthError.invalidTarget("The resource is not API '" + api.id() + "'");
        }

        Set<String> requested = ScopePolicy.parse(request.scope());
        Set<String> granted = ScopePolicy.grant(api, client, requested);
        String token = issuer.issue(endpoint.authMethod().id(), api, client, granted, Instant.now());
        String scope = requested.isEmpty() && granted.isEmpty() ? null : String.join(" ", granted);
        return new TokenResponse(token, "bearer", api.tokenLifetimeSeconds(), scope);
    }
}

package io.portcullis.token;

import io.portcullis.registry.ClientView;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662 token introspection for the clients subscribed to an API. A token is active only if it
 * verifies, has not expired or been revoked, is for this API, and its subscription still stands;
 * anything else is {@code {"active": false}} and nothing more (section 2.2).
 */
@ApplicationScoped
public class TokenIntrospection {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final TokenEndpoints endpoints;
    private final ClientAuthenticator authenticator;
    private final AccessTokenVerifier verifier;
    private final Registry registry;
    private final AccessTokenIssuer issuer;

    public TokenIntrospection(TokenEndpoints endpoints, ClientAuthenticator authenticator, AccessTokenVerifier verifier,
                              Registry registry, AccessTokenIssuer issuer) {
        this.issuer = issuer;
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.verifier = verifier;
        this.registry = registry;
    }

    public Map<String, Object> introspect(String authMethodId, String apiId, String contentType, List<String> authorization,
                                          byte[] body, String address) {
        return endpoints.call(() -> {
            TokenEndpoints.Endpoint endpoint = endpoints.resolve(authMethodId, apiId);
            TokenRequest request = TokenEndpoints.parse(endpoint, contentType, authorization, body);
            // section 2.1: the caller is authenticated, and must be subscribed to this API
            authenticator.authenticate(endpoint.api(), request, endpoint.assertionAudiences(), address);
            endpoint.requireAccepted();
            String token = request.parameter("token");
            if (token == null) {
                throw OAuthError.invalidRequest("token is missing");
            }
            return describe(endpoint, token);
        });
    }

    private Map<String, Object> describe(TokenEndpoints.Endpoint endpoint, String token) {
        VerifiedToken verified;
        try {
            verified = verifier.verify(token);
        } catch (AccessTokenVerifier.InvalidAccessTokenException e) {
            return INACTIVE;
        }
        String expectedIssuer = issuer.issuer(verified.authMethod(), endpoint.api().id());
        if (!endpoint.api().id().equals(verified.audience()) || !expectedIssuer.equals(verified.issuer())) {
            return INACTIVE;
        }
        Optional<ClientView> client = registry.client(verified.clientId());
        if (client.isEmpty() || !client.get().approved() || !client.get().subscriptionId().toString().equals(verified.subscriptionId())) {
            return INACTIVE;
        }
        Map<String, Object> active = new LinkedHashMap<>();
        active.put("active", true);
        if (!verified.scopes().isEmpty()) {
            active.put("scope", String.join(" ", verified.scopes().stream().sorted().toList()));
        }
        active.put("client_id", verified.clientId());
        active.put("token_type", verified.isDPoPBound() ? "DPoP" : "Bearer");
        if (verified.isDPoPBound()) {
            active.put("cnf", Map.of("jkt", verified.jkt()));
        }
        active.put("exp", verified.expiresAt());
        active.put("iat", verified.issuedAt());
        active.put("sub", verified.subject());
        active.put("aud", verified.audience());
        active.put("iss", verified.issuer());
        active.put("jti", verified.jti());
        active.put("application", verified.applicationId());
        active.put("subscription", verified.subscriptionId());
        active.put("plan", verified.planId());
        active.put("auth_method", verified.authMethod());
        return active;
    }
}

package io.portcullis.token;

import io.portcullis.resource.AccessTokenGuard;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 7662 token introspection for the clients subscribed to an API. A token is active only if the
 * {@link AccessTokenGuard} would let it through the gateway (but for a proof of possession, which it
 * reports as {@code cnf}); anything else is {@code {"active": false}} and nothing more (section 2.2).
 */
@ApplicationScoped
public class TokenIntrospection {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final TokenEndpoints endpoints;
    private final ClientAuthenticator authenticator;
    private final AccessTokenGuard guard;

    public TokenIntrospection(TokenEndpoints endpoints, ClientAuthenticator authenticator, AccessTokenGuard guard) {
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.guard = guard;
    }

    /** @param certificate the caller's TLS client certificate, or null */
    public Map<String, Object> introspect(String authMethodId, String apiId, String contentType, List<String> authorization,
                                          byte[] body, io.portcullis.mtls.ClientCertificate certificate, String address) {
        return endpoints.call(() -> {
            TokenEndpoints.Endpoint endpoint = endpoints.resolve(authMethodId, apiId);
            TokenRequest request = TokenEndpoints.parse(endpoint, contentType, authorization, body);
            // section 2.1: the caller is authenticated, and must be subscribed to this API
            endpoint.requireApproved(authenticator.authenticate(endpoint.api(), request, certificate, endpoint.issuer(), address).client());
            endpoint.requireAccepted();
            String token = request.parameter("token");
            if (token == null) {
                throw OAuthError.invalidRequest("token is missing");
            }
            return describe(endpoint, token);
        });
    }

    private Map<String, Object> describe(TokenEndpoints.Endpoint endpoint, String token) {
        // the gateway's own checks, so that introspection cannot call active what the gateway refuses
        VerifiedToken verified = guard.active(endpoint.api(), token).orElse(null);
        if (verified == null) {
            return INACTIVE;
        }
        Map<String, Object> active = new LinkedHashMap<>();
        active.put("active", true);
        if (!verified.scopes().isEmpty()) {
            active.put("scope", String.join(" ", verified.scopes().stream().sorted().toList()));
        }
        // an admin's claims first: none of them is a name set below (docs/contract.md#token-policy)
        verified.extraClaims().forEach((name, value) -> {
            if (!active.containsKey(name)) {
                active.put(name, value);
            }
        });
        active.put("client_id", verified.clientId());
        active.put("token_type", verified.isDPoPBound() ? "DPoP" : "Bearer");
        // RFC 9449 section 6.2 and RFC 8705 section 3.2: the resource server checks the binding itself
        Map<String, Object> cnf = confirmation(verified);
        if (!cnf.isEmpty()) {
            active.put("cnf", cnf);
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

    static Map<String, Object> confirmation(VerifiedToken token) {
        Map<String, Object> cnf = new LinkedHashMap<>();
        if (token.jkt() != null) {
            cnf.put("jkt", token.jkt());
        }
        if (token.x5t() != null) {
            cnf.put("x5t#S256", token.x5t());
        }
        return cnf;
    }
}

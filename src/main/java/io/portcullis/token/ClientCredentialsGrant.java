package io.portcullis.token;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.ClientView;
import io.portcullis.registry.DatabaseFailures;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(ClientCredentialsGrant.class);

    private final Registry registry;
    private final ClientAuthenticator authenticator;
    private final AccessTokenIssuer issuer;
    private final PortcullisConfig config;

    public ClientCredentialsGrant(Registry registry, ClientAuthenticator authenticator, AccessTokenIssuer issuer,
                                  PortcullisConfig config) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.issuer = issuer;
        this.config = config;
    }

    public TokenResponse token(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body) {
        try {
            return decide(authMethodId, apiId, contentType, authorization, body);
        } catch (OAuthError e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnreachable(e)) {
                LOG.warnf("Token request refused with 503: the database is unreachable (%s)", e.getClass().getSimpleName());
                throw OAuthError.temporarilyUnavailable();
            }
            throw e;
        }
    }

    private TokenResponse decide(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body) {
        AuthMethodView authMethod = registry.authMethod(authMethodId).filter(AuthMethodView::enabled)
                .orElseThrow(() -> OAuthError.notFound("Unknown auth method"));
        ApiView api = registry.api(apiId).orElseThrow(() -> OAuthError.notFound("Unknown API"));

        TokenRequest request = TokenRequestParser.parse(contentType, authorization, body, api.id());
        // RFC 6749 section 4.4.2
        if (request.grantType() == null) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        if (!GRANT_TYPE.equals(request.grantType())) {
            throw OAuthError.unsupportedGrantType();
        }

        ClientView client = authenticator.authenticate(api, request);

        // RFC 6749 section 5.2 unauthorized_client: authenticated, but not allowed this grant here
        if (!api.accepts(authMethod.id())) {
            throw OAuthError.unauthorizedClient("API '" + api.id() + "' does not accept auth method '" + authMethod.id() + "'");
        }
        if (!api.clientCredentialsEnabled()) {
            throw OAuthError.unauthorizedClient("API '" + api.id() + "' does not allow the client credentials grant");
        }
        if (!client.approved()) {
            throw OAuthError.unauthorizedClient("The subscription is not approved");
        }
        // RFC 8707 section 2: the only resource this endpoint serves is this API
        if (request.resource() != null && !request.resource().equals(resourceIdentifier(api))) {
            throw OAuthError.invalidTarget("The resource is not API '" + api.id() + "'");
        }

        Set<String> requested = ScopePolicy.parse(request.scope());
        Set<String> granted = ScopePolicy.grant(api, client, requested);
        String token = issuer.issue(authMethod.id(), api, client, granted, Instant.now());
        String scope = requested.isEmpty() && granted.isEmpty() ? null : String.join(" ", granted);
        return new TokenResponse(token, "bearer", api.tokenLifetimeSeconds(), scope);
    }

    /** The API's RFC 8707 resource identifier: its public URL, as in its RFC 9728 metadata. */
    public String resourceIdentifier(ApiView api) {
        return config.baseUrl() + api.requestPath();
    }

}

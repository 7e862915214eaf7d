package io.portcullis.token;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.DatabaseFailures;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the token, introspection and revocation endpoints share: which authorization server a URL
 * names (one per auth method and API), and how a database that cannot be reached is answered.
 */
@ApplicationScoped
public class TokenEndpoints {
    private static final Logger LOG = Logger.getLogger(TokenEndpoints.class);

    private final Registry registry;
    private final AccessTokenIssuer issuer;

    public TokenEndpoints(Registry registry, AccessTokenIssuer issuer) {
        this.registry = registry;
        this.issuer = issuer;
    }

    /** One authorization server: an auth method in front of an API. */
    public record Endpoint(AuthMethodView authMethod, ApiView api, String issuer) {
        /** RFC 6749 section 5.2 unauthorized_client: authenticated, but this API does not take this auth method. */
        public void requireAccepted() {
            if (!api.accepts(authMethod.id())) {
                throw OAuthError.unauthorizedClient("API '" + api.id() + "' does not accept auth method '" + authMethod.id() + "'");
            }
        }

        /**
         * unauthorized_client for a subscription whose approval was withdrawn: its credentials still
         * authenticate, but it may not get tokens, introspect or revoke (docs/contract.md#token-endpoint).
         */
        public void requireApproved(io.portcullis.registry.RegisteredClient client) {
            if (!client.approved()) {
                throw OAuthError.unauthorizedClient("The subscription is not approved");
            }
        }
    }

    /** @throws OAuthError 404 for an unknown or disabled auth method, or an unknown API */
    public Endpoint resolve(String authMethodId, String apiId) {
        AuthMethodView authMethod = registry.authMethod(authMethodId).filter(AuthMethodView::enabled)
                .orElseThrow(() -> OAuthError.notFound("Unknown auth method"));
        ApiView api = registry.api(apiId).orElseThrow(() -> OAuthError.notFound("Unknown API"));
        return new Endpoint(authMethod, api, issuer.issuer(authMethod.id(), api.id()));
    }

    /** Runs an endpoint's work; a database that cannot be reached is 503 temporarily_unavailable, not a 500. */
    public <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (OAuthError e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnreachable(e)) {
                LOG.warnf("Request refused with 503: the database is unreachable (%s)", e.getClass().getSimpleName());
                throw OAuthError.temporarilyUnavailable();
            }
            throw e;
        }
    }

    /** The parsed request, refusing a body that does not say what it is. */
    public static TokenRequest parse(Endpoint endpoint, String contentType, List<String> authorization, byte[] body) {
        return TokenRequestParser.parse(contentType, authorization, body, endpoint.api().id());
    }
}

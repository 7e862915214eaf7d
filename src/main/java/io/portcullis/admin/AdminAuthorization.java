package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.gateway.BearerError;
import io.portcullis.gateway.GatewayPolicy;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryService;
import io.portcullis.token.AccessTokenVerifier;
import io.portcullis.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every /admin request needs a bearer token for the built-in {@code admin} API with scope
 * {@code admin}, checked exactly as the gateway checks tokens for any API (RFC 6750 answers).
 * Runs on the worker thread of the (blocking) admin resources, so a cold subscription lookup may
 * read the database.
 */
public class AdminAuthorization {
    @Inject
    AccessTokenVerifier verifier;

    @Inject
    Registry registry;

    /** Looked up per request: filters are created before the runtime configuration exists. */
    @Inject
    jakarta.inject.Provider<PortcullisConfig> config;

    @Inject
    Admin admin;

    /** Who is making this admin request, for the audit trail. */
    @RequestScoped
    public static class Admin {
        public String clientId;
    }

    @ServerRequestFilter
    @AdminOnly
    public Response authorize(HttpServerRequest request) {
        String realm = RegistryService.BUILTIN_ADMIN_API;
        ApiView api = registry.api(realm).orElse(null);
        try {
            if (api == null) {
                throw BearerError.invalidToken(realm, "The admin API is not set up");
            }
            GatewayPolicy.Presentation presentation = GatewayPolicy.presentation(request.headers().getAll("Authorization"), realm);
            VerifiedToken token = verifier.verify(presentation.token());
            GatewayPolicy.checkAudienceAndIssuer(api, token, config.get().baseUrl());
            // a key-bound admin token is no good without its key (RFC 9449), as at the gateway
            GatewayPolicy.checkProofOfPossession(api, token, presentation, request.headers().getAll("DPoP"), request.method().name(),
                    config.get().baseUrl() + request.path(), System.currentTimeMillis() / 1000, (jkt, jti, exp) -> true);
            GatewayPolicy.checkSubscription(api, token, registry.client(token.clientId()));
            if (!token.scopes().contains(AdminBootstrap.SCOPE)) {
                throw BearerError.insufficientScope(realm, java.util.Set.of(AdminBootstrap.SCOPE));
            }
            admin.clientId = token.clientId();
            return null;
        } catch (AccessTokenVerifier.InvalidAccessTokenException e) {
            return challenge(BearerError.invalidToken(realm, e.getMessage()));
        } catch (BearerError e) {
            return challenge(e);
        }
    }

    private static Response challenge(BearerError e) {
        return Response.status(e.status)
                .header("WWW-Authenticate", e.challenge())
                .header("Cache-Control", "no-store")
                .type("application/json")
                .entity(e.body())
                .build();
    }
}

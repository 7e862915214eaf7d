package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.resource.AccessTokenGuard;
import io.portcullis.resource.BearerError;
import io.portcullis.resource.BearerErrorMapper;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryRules;
import io.portcullis.token.VerifiedToken;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every /admin request needs a bearer token for the built-in {@code admin} API with scope
 * {@code admin}, checked by the one {@link AccessTokenGuard}, as the gateway checks tokens for any API
 * (RFC 6750 answers; a DPoP proof accepted once).
 * Runs on the worker thread of the (blocking) admin resources, so a cold subscription lookup may
 * read the database.
 */
public class AdminAuthorization {
    @Inject
    AccessTokenGuard guard;

    @Inject
    Registry registry;

    /** Looked up per request: filters are created before the runtime configuration exists. */
    @Inject
    jakarta.inject.Provider<PortcullisConfig> config;

    @jakarta.inject.Inject
    jakarta.inject.Provider<io.portcullis.mtls.ClientCertificates> certificates;

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
        String realm = RegistryRules.BUILTIN_ADMIN_API;
        ApiView api = registry.api(realm).orElse(null);
        try {
            if (api == null) {
                throw BearerError.invalidToken(realm, "The admin API is not set up");
            }
            VerifiedToken token = guard.authenticate(api, new AccessTokenGuard.Request(request.headers().getAll("Authorization"),
                    request.headers().getAll("DPoP"), request.method().name(), config.get().requestBaseUrl(request.isSSL()) + request.path(),
                    () -> certificates.get().thumbprint(request)), System.currentTimeMillis() / 1000);
            guard.authorize(api, token, registry.client(token.clientId()), request.method().name(), "/");
            if (!token.scopes().contains(AdminBootstrap.SCOPE)) {
                throw BearerError.insufficientScope(realm, java.util.Set.of(AdminBootstrap.SCOPE));
            }
            admin.clientId = token.clientId();
            return null;
        } catch (BearerError e) {
            return BearerErrorMapper.response(e);
        }
    }
}

package io.portcullis.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.portcullis.registry.Api;
import io.portcullis.registry.ApiRoute;
import io.portcullis.registry.Application;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.Plan;
import io.portcullis.registry.RegistryService;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.Subscription;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The admin API's JSON documents. Secrets appear only in the one answer that issues them. */
public final class AdminModels {
    private AdminModels() {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public record AuthMethodDoc(String id, String friendlyName, String description, Boolean enabled) {
        static AuthMethodDoc of(AuthMethod m) {
            return new AuthMethodDoc(m.id, m.friendlyName, m.description, m.enabled);
        }
    }

    public record PlanDoc(String id, String name, String description, Boolean needsApproval, Integer rateLimitPerMinute) {
        static PlanDoc of(Plan p) {
            return new PlanDoc(p.id, p.name, p.description, p.needsApproval, p.rateLimitPerMinute);
        }
    }

    public record ScopeDoc(String id, String description) {
    }

    public record RouteDoc(String pathPrefix, List<String> methods, List<String> scopes) {
        static RouteDoc of(ApiRoute r) {
            return new RouteDoc(r.pathPrefix, r.methods == null ? List.of() : Arrays.asList(r.methods.split(",")),
                    r.scopes.stream().map(s -> s.scopeId).sorted().toList());
        }
    }

    public record ApiDoc(String id, String name, String description, String requestPath, String upstreamUrl,
                         List<String> authMethods, List<ScopeDoc> scopes, List<RouteDoc> routes, List<String> plans,
                         Integer tokenLifetimeSeconds, Boolean clientCredentialsEnabled, Boolean hideCredentials,
                         Boolean deprecated, Integer upstreamTimeoutSeconds, Boolean dpopRequired, String accessTokenType) {
        static ApiDoc of(Api a) {
            return new ApiDoc(a.id, a.name, a.description, a.requestPath, a.upstreamUrl,
                    a.authMethods.stream().map(m -> m.id).sorted().toList(),
                    a.scopes.stream().map(s -> new ScopeDoc(s.scopeId, s.description)).toList(),
                    a.routes.stream().map(RouteDoc::of).toList(),
                    a.plans.stream().map(p -> p.id).sorted().toList(),
                    a.tokenLifetimeSeconds, a.clientCredentialsEnabled, a.hideCredentials, a.deprecated, a.upstreamTimeoutSeconds,
                    a.dpopRequired, a.accessTokenType);
        }

        RegistryService.ApiSpec spec() {
            return new RegistryService.ApiSpec(id, name, description, requestPath, upstreamUrl, tokenLifetimeSeconds,
                    clientCredentialsEnabled, hideCredentials, deprecated, authMethods,
                    scopes == null ? null : scopes.stream().map(s -> s == null ? null : new RegistryService.ScopeSpec(s.id(), s.description())).toList(),
                    routes == null ? null : routes.stream().map(r -> new RegistryService.RouteSpec(r.pathPrefix(), r.methods(), r.scopes())).toList(),
                    plans, upstreamTimeoutSeconds, dpopRequired, accessTokenType);
        }
    }

    public record ApplicationDoc(String id, String name, String description, ClientType clientType) {
        static ApplicationDoc of(Application a) {
            return new ApplicationDoc(a.id, a.name, a.description, a.clientType);
        }
    }

    /**
     * @param clientSecret only in the answer that issued it (create, approve, rotate); never stored
     * @param previousSecretValidUntil while a rotated-out secret still works
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionDoc(UUID id, String applicationId, String apiId, String planId, Boolean approved, Boolean trusted,
                                  ScopeMode allowedScopesMode, List<String> allowedScopes, String clientId, String clientSecret,
                                  Instant previousSecretValidUntil, String jwksUri, Boolean hasJwks, Instant createdAt) {
        static SubscriptionDoc of(Subscription s, String secret) {
            return new SubscriptionDoc(s.id, s.application.id, s.api.id, s.plan.id, s.approved, s.trusted, s.allowedScopesMode,
                    s.allowedScopes.stream().map(r -> r.scopeId).sorted().toList(), s.clientId, secret,
                    s.previousSecretExpiresAt != null && s.previousSecretExpiresAt.isAfter(Instant.now()) ? s.previousSecretExpiresAt : null,
                    s.jwksUri, s.jwks != null, s.createdAt);
        }

        @Override
        public String toString() {
            return "SubscriptionDoc[id=" + id + ", clientId=" + clientId + "]";
        }
    }

    /** What may change in a subscription. */
    public record SubscriptionChange(String applicationId, String apiId, String planId, Boolean trusted,
                                     ScopeMode allowedScopesMode, List<String> allowedScopes) {
    }

    public record SecretRotation(Long gracePeriodSeconds) {
    }

    public record ClientKeys(Object jwks, String jwksUri) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditDoc(long id, Instant occurredAt, String kind, String actor, String action, String target, String outcome,
                           String error, String apiId, String authMethodId, String scopesRequested, String scopesGranted,
                           String remoteAddress, String requestId, String before, String after) {
    }

    public record KeyDoc(String kid, String alg, String status, Instant createdAt, Instant activatedAt, Instant retiredAt,
                         Instant publishUntil) {
    }
}

package io.portcullis.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Changes to the registry, with the rules of CONTRACT section 1 that the database cannot hold by
 * itself (a deprecated API takes no subscriptions, credentials are issued on approval, a secret is
 * shown once). After each change the local caches are dropped so this instance sees it at once.
 */
@ApplicationScoped
public class RegistryService {
    public static final Pattern AUTH_METHOD_ID = Pattern.compile("[a-z0-9_-]{1,64}");
    public static final Pattern API_ID = AUTH_METHOD_ID;
    public static final Pattern PLAN_ID = AUTH_METHOD_ID;
    public static final Pattern APPLICATION_ID = Pattern.compile("[a-z0-9_-]{4,50}");
    public static final Pattern SCOPE_ID = Pattern.compile("[a-zA-Z0-9_:.-]{1,128}");
    public static final Pattern REQUEST_PATH = Pattern.compile("(/[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*)+");
    /** Portcullis's own paths, which no API may shadow (CONTRACT section 5). */
    public static final List<String> RESERVED_PATHS = List.of("/auth", "/admin", "/portal", "/q", "/.well-known");

    private final Registry registry;

    public RegistryService(Registry registry) {
        this.registry = registry;
    }

    public record ScopeSpec(String id, String description) {
    }

    public record RouteSpec(String pathPrefix, List<String> methods, List<String> scopes) {
    }

    public record ApiSpec(String id, String name, String description, String requestPath, String upstreamUrl,
                          Integer tokenLifetimeSeconds, Boolean clientCredentialsEnabled, Boolean hideCredentials,
                          Boolean deprecated, List<String> authMethods, List<ScopeSpec> scopes, List<RouteSpec> routes,
                          List<String> plans, Integer upstreamTimeoutSeconds) {
    }

    public record SubscriptionSpec(String applicationId, String apiId, String planId, boolean trusted,
                                   ScopeMode allowedScopesMode, List<String> allowedScopes) {
    }

    /**
     * The outcome of subscribing or approving. {@code clientSecret} is the only copy of the secret
     * there will ever be; it is null when nothing was issued (pending, or a public client).
     */
    public record Credentials(UUID subscriptionId, boolean approved, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Credentials[subscription=" + subscriptionId + ", approved=" + approved + ", clientId=" + clientId + "]";
        }
    }

    @Transactional
    public AuthMethod createAuthMethod(String id, String friendlyName, boolean enabled) {
        require(AUTH_METHOD_ID, id, "id");
        if (AuthMethod.findById(id) != null) {
            throw RegistryException.conflict("id", "auth method '" + id + "' already exists");
        }
        AuthMethod method = new AuthMethod();
        method.id = id;
        method.friendlyName = friendlyName == null || friendlyName.isBlank() ? id : friendlyName;
        method.enabled = enabled;
        method.persist();
        registry.changed();
        return method;
    }

    @Transactional
    public void setAuthMethodEnabled(String id, boolean enabled) {
        AuthMethod method = AuthMethod.<AuthMethod>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("auth method", id));
        method.enabled = enabled;
        registry.changed();
    }

    @Transactional
    public Plan createPlan(String id, String name, boolean needsApproval, Integer rateLimitPerMinute) {
        require(PLAN_ID, id, "id");
        if (Plan.findById(id) != null) {
            throw RegistryException.conflict("id", "plan '" + id + "' already exists");
        }
        if (rateLimitPerMinute != null && rateLimitPerMinute <= 0) {
            throw RegistryException.invalid("rateLimitPerMinute", "rateLimitPerMinute must be positive");
        }
        Plan plan = new Plan();
        plan.id = id;
        plan.name = name == null || name.isBlank() ? id : name;
        plan.needsApproval = needsApproval;
        plan.rateLimitPerMinute = rateLimitPerMinute;
        plan.persist();
        registry.changed();
        return plan;
    }

    @Transactional
    public Api createApi(ApiSpec spec) {
        require(API_ID, spec.id(), "id");
        if (Api.findById(spec.id()) != null) {
            throw RegistryException.conflict("id", "API '" + spec.id() + "' already exists");
        }
        require(REQUEST_PATH, spec.requestPath(), "requestPath");
        for (String reserved : RESERVED_PATHS) {
            if (spec.requestPath().equals(reserved) || spec.requestPath().startsWith(reserved + "/")) {
                throw RegistryException.invalid("requestPath", "requestPath may not shadow Portcullis's own path " + reserved);
            }
        }
        for (Api other : Api.<Api>listAll()) {
            if (overlaps(other.requestPath, spec.requestPath())) {
                throw RegistryException.conflict("requestPath", "requestPath overlaps that of API '" + other.id + "'");
            }
        }
        if (spec.upstreamUrl() == null || !spec.upstreamUrl().matches("https?://[^\\s]+")) {
            throw RegistryException.invalid("upstreamUrl", "upstreamUrl must be an http or https URL");
        }
        Api api = new Api();
        api.id = spec.id();
        api.name = spec.name() == null || spec.name().isBlank() ? spec.id() : spec.name();
        api.description = spec.description();
        api.requestPath = spec.requestPath();
        api.upstreamUrl = spec.upstreamUrl();
        if (spec.tokenLifetimeSeconds() != null) {
            if (spec.tokenLifetimeSeconds() < 1 || spec.tokenLifetimeSeconds() > 86400) {
                throw RegistryException.invalid("tokenLifetimeSeconds", "tokenLifetimeSeconds must be between 1 and 86400");
            }
            api.tokenLifetimeSeconds = spec.tokenLifetimeSeconds();
        }
        if (spec.upstreamTimeoutSeconds() != null) {
            if (spec.upstreamTimeoutSeconds() < 1 || spec.upstreamTimeoutSeconds() > 3600) {
                throw RegistryException.invalid("upstreamTimeoutSeconds", "upstreamTimeoutSeconds must be between 1 and 3600");
            }
            api.upstreamTimeoutSeconds = spec.upstreamTimeoutSeconds();
        }
        api.clientCredentialsEnabled = spec.clientCredentialsEnabled() == null || spec.clientCredentialsEnabled();
        api.hideCredentials = Boolean.TRUE.equals(spec.hideCredentials());
        api.deprecated = Boolean.TRUE.equals(spec.deprecated());
        for (String methodId : nullToEmpty(spec.authMethods())) {
            api.authMethods.add(AuthMethod.<AuthMethod>findByIdOptional(methodId)
                    .orElseThrow(() -> RegistryException.invalid("authMethods", "auth method '" + methodId + "' does not exist")));
        }
        for (String planId : nullToEmpty(spec.plans())) {
            api.plans.add(Plan.<Plan>findByIdOptional(planId)
                    .orElseThrow(() -> RegistryException.invalid("plans", "plan '" + planId + "' does not exist")));
        }
        for (ScopeSpec scope : nullToEmpty(spec.scopes())) {
            require(SCOPE_ID, scope.id(), "scopes");
            if (api.scopes.stream().anyMatch(s -> s.scopeId.equals(scope.id()))) {
                throw RegistryException.invalid("scopes", "scope '" + scope.id() + "' is listed twice");
            }
            api.scopes.add(new ApiScope(scope.id(), scope.description()));
        }
        api.persist();
        for (RouteSpec routeSpec : nullToEmpty(spec.routes())) {
            if (routeSpec.pathPrefix() == null || !routeSpec.pathPrefix().startsWith("/")) {
                throw RegistryException.invalid("routes", "a route's pathPrefix must start with /");
            }
            ApiRoute route = new ApiRoute();
            route.api = api;
            route.pathPrefix = routeSpec.pathPrefix();
            List<String> methods = nullToEmpty(routeSpec.methods());
            for (String method : methods) {
                if (!method.matches("[A-Z]{1,16}")) {
                    throw RegistryException.invalid("routes", "'" + method + "' is not an HTTP method");
                }
            }
            route.methods = methods.isEmpty() ? null : String.join(",", methods);
            for (String scope : nullToEmpty(routeSpec.scopes())) {
                if (!api.scopes.stream().anyMatch(s -> s.scopeId.equals(scope))) {
                    throw RegistryException.invalid("routes", "route scope '" + scope + "' is not a scope of the API");
                }
                route.scopes.add(new ScopeRef(api.id, scope));
            }
            api.routes.add(route);
            route.persist();
        }
        registry.changed();
        return api;
    }

    @Transactional
    public Application createApplication(String id, String name, ClientType clientType) {
        require(APPLICATION_ID, id, "id");
        if (Application.findById(id) != null) {
            throw RegistryException.conflict("id", "application '" + id + "' already exists");
        }
        Application app = new Application();
        app.id = id;
        app.name = name == null || name.isBlank() ? id : name;
        app.clientType = clientType == null ? ClientType.CONFIDENTIAL : clientType;
        app.persist();
        registry.changed();
        return app;
    }

    /** Subscribes; approves at once unless the plan needs approval. */
    @Transactional
    public Credentials subscribe(SubscriptionSpec spec) {
        Application app = Application.<Application>findByIdOptional(spec.applicationId())
                .orElseThrow(() -> RegistryException.notFound("application", spec.applicationId()));
        Api api = Api.<Api>findByIdOptional(spec.apiId())
                .orElseThrow(() -> RegistryException.invalid("apiId", "API '" + spec.apiId() + "' does not exist"));
        if (api.deprecated) {
            throw RegistryException.conflict("apiId", "API '" + api.id + "' is deprecated and takes no new subscriptions");
        }
        Plan plan = api.plans.stream().filter(p -> p.id.equals(spec.planId())).findFirst()
                .orElseThrow(() -> RegistryException.invalid("planId", "API '" + api.id + "' does not offer plan '" + spec.planId() + "'"));
        if (Subscription.count("application.id = ?1 and api.id = ?2", app.id, api.id) > 0) {
            throw RegistryException.conflict("apiId", "application '" + app.id + "' is already subscribed to API '" + api.id + "'");
        }
        Subscription sub = new Subscription();
        sub.id = UUID.randomUUID();
        sub.application = app;
        sub.api = api;
        sub.plan = plan;
        sub.trusted = spec.trusted();
        sub.allowedScopesMode = spec.allowedScopesMode() == null ? ScopeMode.ALL : spec.allowedScopesMode();
        Set<String> defined = api.scopes.stream().map(s -> s.scopeId).collect(java.util.stream.Collectors.toSet());
        for (String scope : nullToEmpty(spec.allowedScopes())) {
            if (!defined.contains(scope)) {
                throw RegistryException.invalid("allowedScopes", "scope '" + scope + "' is not a scope of API '" + api.id + "'");
            }
            sub.allowedScopes.add(new ScopeRef(api.id, scope));
        }
        String secret = plan.needsApproval ? null : issueCredentials(sub);
        sub.persist();
        registry.changed();
        return new Credentials(sub.id, sub.approved, sub.clientId, secret);
    }

    /** Approves a pending subscription and issues its credentials, returned this once. */
    @Transactional
    public Credentials approve(UUID subscriptionId) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        if (sub.approved) {
            throw RegistryException.conflict("approved", "subscription is already approved");
        }
        String secret = sub.clientId == null ? issueCredentials(sub) : null;
        sub.approved = true;
        registry.changed();
        return new Credentials(sub.id, true, sub.clientId, secret);
    }

    /** Withdraws approval; the credentials stay, but the token endpoint refuses them. */
    @Transactional
    public void revokeApproval(UUID subscriptionId) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        sub.approved = false;
        registry.changed();
    }

    @Transactional
    public void deleteSubscription(UUID subscriptionId) {
        if (!Subscription.deleteById(subscriptionId)) {
            throw RegistryException.notFound("subscription", String.valueOf(subscriptionId));
        }
        registry.changed();
    }

    /**
     * Replaces the secret; the old one keeps working for {@code grace} (CONTRACT section 1). The new
     * secret is returned this once. A secret still in its grace period from an earlier rotation is
     * dropped: only the current and the one before it are ever accepted.
     */
    @Transactional
    public Credentials rotateSecret(UUID subscriptionId, java.time.Duration grace) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        if (sub.clientSecretHash == null) {
            throw RegistryException.conflict("clientSecret", "the subscription has no secret to rotate");
        }
        if (grace.isNegative()) {
            throw RegistryException.invalid("gracePeriod", "the grace period cannot be negative");
        }
        String secret = ClientSecrets.newSecret();
        if (grace.isZero()) {
            sub.previousSecretHash = null;
            sub.previousSecretExpiresAt = null;
        } else {
            sub.previousSecretHash = sub.clientSecretHash;
            sub.previousSecretExpiresAt = java.time.Instant.now().plus(grace);
        }
        sub.clientSecretHash = ClientSecrets.hash(secret);
        registry.changed();
        return new Credentials(sub.id, sub.approved, sub.clientId, secret);
    }

    /**
     * Registers the public keys a client signs its private_key_jwt assertions with (RFC 7523): a
     * JWK set, or the URL where the client publishes one. Private key material is refused.
     */
    @Transactional
    public void setClientKeys(UUID subscriptionId, String jwks, String jwksUri) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        if (jwks != null) {
            try {
                var set = new org.jose4j.jwk.JsonWebKeySet(jwks);
                if (set.getJsonWebKeys().isEmpty()) {
                    throw RegistryException.invalid("jwks", "the JWK set has no keys");
                }
                for (var key : set.getJsonWebKeys()) {
                    if (!(key instanceof org.jose4j.jwk.PublicJsonWebKey pub) || pub.getPrivateKey() != null) {
                        throw RegistryException.invalid("jwks", "the JWK set must hold public asymmetric keys only");
                    }
                }
            } catch (org.jose4j.lang.JoseException e) {
                throw RegistryException.invalid("jwks", "jwks is not a JWK set");
            }
        }
        if (jwksUri != null && !jwksUri.matches("https?://\\S+")) {
            throw RegistryException.invalid("jwksUri", "jwksUri must be an http(s) URL");
        }
        sub.jwks = jwks;
        sub.jwksUri = jwksUri;
        registry.changed();
    }

    /**
     * Sets the demo's fixed credentials. Only the dev-mode demo uses this: everywhere else a
     * secret is made by {@link ClientSecrets#newSecret()}.
     */
    @Transactional
    public void setCredentials(UUID subscriptionId, String clientId, String clientSecret) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        sub.clientId = clientId;
        sub.clientSecretHash = clientSecret == null ? null : ClientSecrets.hash(clientSecret);
        registry.changed();
    }

    /** Public clients cannot keep a secret (RFC 6749 section 2.1): they get a client id only. */
    private static String issueCredentials(Subscription sub) {
        sub.approved = true;
        sub.clientId = ClientSecrets.newClientId();
        if (!sub.application.clientType.isConfidential()) {
            return null;
        }
        String secret = ClientSecrets.newSecret();
        sub.clientSecretHash = ClientSecrets.hash(secret);
        return secret;
    }

    private static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    private static void require(Pattern pattern, String value, String field) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw RegistryException.invalid(field, field + " must match " + pattern.pattern());
        }
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

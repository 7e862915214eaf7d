package io.portcullis.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Changes to the registry, with the rules of docs/contract.md#model that the database cannot hold by
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
    /** Portcullis's own paths, which no API may shadow (docs/contract.md#gateway). */
    public static final List<String> RESERVED_PATHS = List.of("/auth", "/admin", "/portal", "/q", "/.well-known");
    /** The API the admin REST API is, protected by Portcullis itself (docs/contract.md#management). */
    public static final String BUILTIN_ADMIN_API = "admin";

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
                          List<String> plans, Integer upstreamTimeoutSeconds, Boolean dpopRequired, String accessTokenType) {
        public ApiSpec(String id, String name, String description, String requestPath, String upstreamUrl,
                       Integer tokenLifetimeSeconds, Boolean clientCredentialsEnabled, Boolean hideCredentials,
                       Boolean deprecated, List<String> authMethods, List<ScopeSpec> scopes, List<RouteSpec> routes,
                       List<String> plans, Integer upstreamTimeoutSeconds, Boolean dpopRequired) {
            this(id, name, description, requestPath, upstreamUrl, tokenLifetimeSeconds, clientCredentialsEnabled, hideCredentials,
                    deprecated, authMethods, scopes, routes, plans, upstreamTimeoutSeconds, dpopRequired, null);
        }

        public ApiSpec(String id, String name, String description, String requestPath, String upstreamUrl,
                       Integer tokenLifetimeSeconds, Boolean clientCredentialsEnabled, Boolean hideCredentials,
                       Boolean deprecated, List<String> authMethods, List<ScopeSpec> scopes, List<RouteSpec> routes,
                       List<String> plans, Integer upstreamTimeoutSeconds) {
            this(id, name, description, requestPath, upstreamUrl, tokenLifetimeSeconds, clientCredentialsEnabled, hideCredentials,
                    deprecated, authMethods, scopes, routes, plans, upstreamTimeoutSeconds, null, null);
        }
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
    public AuthMethod updateAuthMethod(String id, String friendlyName, String description, boolean enabled) {
        AuthMethod method = AuthMethod.<AuthMethod>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("auth method", id));
        method.friendlyName = friendlyName == null || friendlyName.isBlank() ? id : friendlyName;
        method.description = description;
        method.enabled = enabled;
        registry.changed();
        return method;
    }

    /** An auth method some API still accepts cannot go: its token endpoints would vanish under the clients. */
    @Transactional
    public void deleteAuthMethod(String id) {
        AuthMethod method = AuthMethod.<AuthMethod>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("auth method", id));
        long users = Api.count("select count(a) from Api a join a.authMethods m where m.id = ?1", id);
        if (users > 0) {
            throw RegistryException.conflict("id", "auth method '" + id + "' is accepted by " + users + " API(s)");
        }
        method.delete();
        registry.changed();
    }

    @Transactional
    public Plan createPlan(String id, String name, boolean needsApproval, Integer rateLimitPerMinute) {
        require(PLAN_ID, id, "id");
        if (Plan.findById(id) != null) {
            throw RegistryException.conflict("id", "plan '" + id + "' already exists");
        }
        Plan plan = new Plan();
        plan.id = id;
        applyPlan(plan, name, null, needsApproval, rateLimitPerMinute);
        plan.persist();
        registry.changed();
        return plan;
    }

    @Transactional
    public Plan updatePlan(String id, String name, String description, boolean needsApproval, Integer rateLimitPerMinute) {
        Plan plan = Plan.<Plan>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("plan", id));
        applyPlan(plan, name, description, needsApproval, rateLimitPerMinute);
        registry.changed();
        return plan;
    }

    @Transactional
    public void deletePlan(String id) {
        Plan plan = Plan.<Plan>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("plan", id));
        if (Subscription.count("plan.id", id) > 0) {
            throw RegistryException.conflict("id", "plan '" + id + "' has subscriptions");
        }
        if (Api.count("select count(a) from Api a join a.plans p where p.id = ?1", id) > 0) {
            throw RegistryException.conflict("id", "plan '" + id + "' is offered by an API");
        }
        plan.delete();
        registry.changed();
    }

    private static void applyPlan(Plan plan, String name, String description, boolean needsApproval, Integer rateLimitPerMinute) {
        if (rateLimitPerMinute != null && rateLimitPerMinute <= 0) {
            throw RegistryException.invalid("rateLimitPerMinute", "rateLimitPerMinute must be positive");
        }
        plan.name = name == null || name.isBlank() ? plan.id : name;
        plan.description = description;
        plan.needsApproval = needsApproval;
        plan.rateLimitPerMinute = rateLimitPerMinute;
    }

    @Transactional
    public Api createApi(ApiSpec spec) {
        require(API_ID, spec.id(), "id");
        if (Api.findById(spec.id()) != null) {
            throw RegistryException.conflict("id", "API '" + spec.id() + "' already exists");
        }
        Api api = new Api();
        api.id = spec.id();
        applyApi(api, spec, BUILTIN_ADMIN_API.equals(spec.id()));
        api.persist();
        applyRoutes(api, spec.routes());
        registry.changed();
        return api;
    }

    /** Replaces the API's definition with the spec; what is equal is left untouched, so re-applying changes nothing. */
    @Transactional
    public Api updateApi(String id, ApiSpec spec) {
        Api api = Api.<Api>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("API", id));
        if (spec.id() != null && !spec.id().equals(id)) {
            throw RegistryException.invalid("id", "the id of an API cannot change");
        }
        applyApi(api, spec, BUILTIN_ADMIN_API.equals(id));
        applyRoutes(api, spec.routes());
        registry.changed();
        return api;
    }

    /** Deleting an API deletes its subscriptions (their tokens stop working at once). */
    @Transactional
    public void deleteApi(String id) {
        if (BUILTIN_ADMIN_API.equals(id)) {
            throw RegistryException.conflict("id", "the built-in admin API cannot be deleted");
        }
        Api api = Api.<Api>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("API", id));
        Subscription.delete("api.id", id);
        api.delete();
        registry.changed();
    }

    private void applyApi(Api api, ApiSpec spec, boolean builtin) {
        require(REQUEST_PATH, spec.requestPath(), "requestPath");
        if (!builtin) {
            for (String reserved : RESERVED_PATHS) {
                if (spec.requestPath().equals(reserved) || spec.requestPath().startsWith(reserved + "/")) {
                    throw RegistryException.invalid("requestPath", "requestPath may not shadow Portcullis's own path " + reserved);
                }
            }
        }
        for (Api other : Api.<Api>list("id <> ?1", api.id)) {
            if (overlaps(other.requestPath, spec.requestPath())) {
                throw RegistryException.conflict("requestPath", "requestPath overlaps that of API '" + other.id + "'");
            }
        }
        if (UpstreamUrl.parse(spec.upstreamUrl()) == null) {
            throw RegistryException.invalid("upstreamUrl",
                    "upstreamUrl must be an absolute http or https URL with a host, and without user information, query or fragment");
        }
        int lifetime = spec.tokenLifetimeSeconds() == null ? Api.DEFAULT_TOKEN_LIFETIME_SECONDS : spec.tokenLifetimeSeconds();
        if (lifetime < 1 || lifetime > 86400) {
            throw RegistryException.invalid("tokenLifetimeSeconds", "tokenLifetimeSeconds must be between 1 and 86400");
        }
        int timeout = spec.upstreamTimeoutSeconds() == null ? Api.DEFAULT_UPSTREAM_TIMEOUT_SECONDS : spec.upstreamTimeoutSeconds();
        if (timeout < 1 || timeout > 3600) {
            throw RegistryException.invalid("upstreamTimeoutSeconds", "upstreamTimeoutSeconds must be between 1 and 3600");
        }
        api.name = spec.name() == null || spec.name().isBlank() ? spec.id() == null ? api.id : spec.id() : spec.name();
        api.description = spec.description();
        api.requestPath = spec.requestPath();
        api.upstreamUrl = spec.upstreamUrl();
        api.tokenLifetimeSeconds = lifetime;
        api.upstreamTimeoutSeconds = timeout;
        api.clientCredentialsEnabled = spec.clientCredentialsEnabled() == null || spec.clientCredentialsEnabled();
        api.hideCredentials = Boolean.TRUE.equals(spec.hideCredentials());
        api.deprecated = Boolean.TRUE.equals(spec.deprecated());
        api.dpopRequired = Boolean.TRUE.equals(spec.dpopRequired());
        if (spec.accessTokenType() != null && AccessTokenType.ofName(spec.accessTokenType()) == null) {
            throw RegistryException.invalid("accessTokenType", "accessTokenType must be at+jwt or JWT");
        }
        api.accessTokenType = spec.accessTokenType() == null ? AccessTokenType.AT_JWT.value : AccessTokenType.ofName(spec.accessTokenType()).value;

        java.util.LinkedHashSet<String> methodIds = new java.util.LinkedHashSet<>(nullToEmpty(spec.authMethods()));
        if (!methodIds.equals(api.authMethods.stream().map(m -> m.id).collect(java.util.stream.Collectors.toSet()))) {
            api.authMethods.clear();
            for (String methodId : methodIds) {
                api.authMethods.add(AuthMethod.<AuthMethod>findByIdOptional(methodId)
                        .orElseThrow(() -> RegistryException.invalid("authMethods", "auth method '" + methodId + "' does not exist")));
            }
        }
        java.util.LinkedHashSet<String> planIds = new java.util.LinkedHashSet<>(nullToEmpty(spec.plans()));
        if (!planIds.equals(api.plans.stream().map(p -> p.id).collect(java.util.stream.Collectors.toSet()))) {
            api.plans.clear();
            for (String planId : planIds) {
                api.plans.add(Plan.<Plan>findByIdOptional(planId)
                        .orElseThrow(() -> RegistryException.invalid("plans", "plan '" + planId + "' does not exist")));
            }
        }
        List<ApiScope> scopes = new java.util.ArrayList<>();
        for (ScopeSpec scope : nullToEmpty(spec.scopes())) {
            require(SCOPE_ID, scope == null ? null : scope.id(), "scopes");
            if (scopes.stream().anyMatch(s -> s.scopeId.equals(scope.id()))) {
                throw RegistryException.invalid("scopes", "scope '" + scope.id() + "' is listed twice");
            }
            scopes.add(new ApiScope(scope.id(), scope.description()));
        }
        if (!sameScopes(api.scopes, scopes)) {
            api.scopes.clear();
            api.scopes.addAll(scopes);
        }
    }

    private static boolean sameScopes(List<ApiScope> a, List<ApiScope> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).scopeId.equals(b.get(i).scopeId) || !java.util.Objects.equals(a.get(i).description, b.get(i).description)) {
                return false;
            }
        }
        return true;
    }

    private void applyRoutes(Api api, List<RouteSpec> specs) {
        List<String> wanted = new java.util.ArrayList<>();
        for (RouteSpec routeSpec : nullToEmpty(specs)) {
            if (routeSpec == null || routeSpec.pathPrefix() == null || !routeSpec.pathPrefix().matches("/|(/[A-Za-z0-9_~!$&'()*+,=:@.-]+)+")
                    || routeSpec.pathPrefix().matches(".*/\\.{1,2}(/.*)?")) {
                throw RegistryException.invalid("routes", "a route's pathPrefix must be a path like /orders: no trailing slash, dot segment, '%' or ';'");
            }
            for (String method : nullToEmpty(routeSpec.methods())) {
                if (method == null || !method.matches("[A-Z]{1,16}")) {
                    throw RegistryException.invalid("routes", "'" + method + "' is not an HTTP method");
                }
            }
            for (String scope : nullToEmpty(routeSpec.scopes())) {
                if (api.scopes.stream().noneMatch(s -> s.scopeId.equals(scope))) {
                    throw RegistryException.invalid("routes", "route scope '" + scope + "' is not a scope of the API");
                }
            }
            wanted.add(routeKey(routeSpec.pathPrefix(), nullToEmpty(routeSpec.methods()), nullToEmpty(routeSpec.scopes())));
        }
        List<String> current = api.routes.stream().map(r -> routeKey(r.pathPrefix,
                r.methods == null ? List.of() : List.of(r.methods.split(",")),
                r.scopes.stream().map(s -> s.scopeId).sorted().toList())).sorted().toList();
        if (current.equals(wanted.stream().sorted().toList())) {
            return;
        }
        api.routes.clear();
        Api.getEntityManager().flush();
        for (RouteSpec routeSpec : nullToEmpty(specs)) {
            ApiRoute route = new ApiRoute();
            route.api = api;
            route.pathPrefix = routeSpec.pathPrefix();
            List<String> methods = nullToEmpty(routeSpec.methods());
            route.methods = methods.isEmpty() ? null : String.join(",", methods);
            for (String scope : nullToEmpty(routeSpec.scopes())) {
                route.scopes.add(new ScopeRef(api.id, scope));
            }
            api.routes.add(route);
            route.persist();
        }
    }

    private static String routeKey(String prefix, List<String> methods, List<String> scopes) {
        return prefix + " " + methods.stream().sorted().toList() + " " + scopes.stream().sorted().toList();
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

    @Transactional
    public Application updateApplication(String id, String name, String description, ClientType clientType) {
        Application app = Application.<Application>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("application", id));
        ClientType type = clientType == null ? app.clientType : clientType;
        if (type != app.clientType && Subscription.count("application.id", id) > 0) {
            throw RegistryException.conflict("clientType", "the client type of an application with subscriptions cannot change");
        }
        app.name = name == null || name.isBlank() ? id : name;
        app.description = description;
        app.clientType = type;
        registry.changed();
        return app;
    }

    /** Deleting an application deletes its subscriptions; their tokens stop at the gateway. */
    @Transactional
    public void deleteApplication(String id) {
        Application app = Application.<Application>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("application", id));
        Subscription.delete("application.id", id);
        app.delete();
        registry.changed();
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

    /**
     * Changes a subscription's terms; its credentials stay. The scope mode has no default here: a
     * replacement that left it out would widen access to every scope (docs/contract.md#management).
     */
    @Transactional
    public Subscription updateSubscription(UUID subscriptionId, String planId, boolean trusted, ScopeMode mode, List<String> allowedScopes) {
        if (mode == null) {
            throw RegistryException.invalid("allowedScopesMode", "allowedScopesMode must be given: all, none or select");
        }
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        if (planId != null && !planId.equals(sub.plan.id)) {
            sub.plan = sub.api.plans.stream().filter(p -> p.id.equals(planId)).findFirst()
                    .orElseThrow(() -> RegistryException.invalid("planId", "API '" + sub.api.id + "' does not offer plan '" + planId + "'"));
        }
        sub.trusted = trusted;
        sub.allowedScopesMode = mode;
        java.util.Set<ScopeRef> wanted = new java.util.LinkedHashSet<>();
        for (String scope : nullToEmpty(allowedScopes)) {
            if (sub.api.scopes.stream().noneMatch(s -> s.scopeId.equals(scope))) {
                throw RegistryException.invalid("allowedScopes", "scope '" + scope + "' is not a scope of API '" + sub.api.id + "'");
            }
            wanted.add(new ScopeRef(sub.api.id, scope));
        }
        if (!wanted.equals(new java.util.HashSet<>(sub.allowedScopes))) {
            sub.allowedScopes.clear();
            sub.allowedScopes.addAll(wanted);
        }
        registry.changed();
        return sub;
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
     * Replaces the secret; the old one keeps working for {@code grace} (docs/contract.md#model). The new
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
        // keys fetched over plain HTTP could be replaced on the way: https only, but for a loopback address
        if (jwksUri != null && !(jwksUri.matches("https://\\S+") || jwksUri.matches("http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?/\\S*"))) {
            throw RegistryException.invalid("jwksUri", "jwksUri must be an https URL");
        }
        sub.jwks = jwks;
        sub.jwksUri = jwksUri;
        registry.changed();
    }

    /**
     * Sets credentials whose secret comes from configuration (the admin client's): everywhere else a
     * secret is made by {@link ClientSecrets#newSecret()}.
     */
    @Transactional
    public void setCredentials(UUID subscriptionId, String clientId, String clientSecret) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        sub.clientId = clientId;
        // a configured secret is chosen by a person: a salted slow hash
        sub.clientSecretHash = clientSecret == null ? null : ClientSecrets.hashChosen(clientSecret);
        registry.changed();
    }

    /** Sets credentials from a stored hash (the declarative file never holds a secret itself). */
    @Transactional
    public void setCredentialHash(UUID subscriptionId, String clientId, String clientSecretHash) {
        Subscription sub = Subscription.<Subscription>findByIdOptional(subscriptionId)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(subscriptionId)));
        if (!ClientSecrets.isHash(clientSecretHash)) {
            throw RegistryException.invalid("clientSecretHash", "not a secret hash");
        }
        if (Subscription.count("clientId = ?1 and id <> ?2", clientId, subscriptionId) > 0) {
            throw RegistryException.conflict("clientId", "client id '" + clientId + "' is taken");
        }
        sub.clientId = clientId;
        sub.clientSecretHash = clientSecretHash;
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

package io.portcullis.registry;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.portcullis.registry.RegistryRules.API_ID;
import static io.portcullis.registry.RegistryRules.BUILTIN_ADMIN_API;
import static io.portcullis.registry.RegistryRules.DOT_SEGMENT;
import static io.portcullis.registry.RegistryRules.HTTP_METHOD;
import static io.portcullis.registry.RegistryRules.REQUEST_PATH;
import static io.portcullis.registry.RegistryRules.RESERVED_PATHS;
import static io.portcullis.registry.RegistryRules.ROUTE_PREFIX;
import static io.portcullis.registry.RegistryRules.SCOPE_ID;
import static io.portcullis.registry.RegistryRules.nullToEmpty;
import static io.portcullis.registry.RegistryRules.orDefault;
import static io.portcullis.registry.RegistryRules.overlaps;
import static io.portcullis.registry.RegistryRules.require;

/**
 * APIs with their scopes and routes (docs/contract.md#model): each change whole, in one transaction.
 * What is equal is left untouched, so that applying the same definition twice writes nothing.
 */
@ApplicationScoped
@Transactional
public class ApiService {
    private final Registry registry;

    public ApiService(Registry registry) {
        this.registry = registry;
    }

    public ApiDefinition find(String id) {
        return ApiDefinition.of(entity(id));
    }

    public Page<ApiDefinition> list(int page, int size) {
        return Page.of(Api.findAll(Sort.by("id")), page, size, ApiDefinition::of);
    }

    public ApiDefinition create(ApiDefinition definition) {
        require(API_ID, definition.id(), "id");
        if (Api.findById(definition.id()) != null) {
            throw RegistryException.conflict("id", "API '" + definition.id() + "' already exists");
        }
        Api api = new Api();
        api.id = definition.id();
        write(api, definition);
        api.persist();
        writeRoutes(api, definition.routes());
        registry.changed();
        return ApiDefinition.of(api);
    }

    public ApiDefinition replace(String id, ApiDefinition definition) {
        Api api = entity(id);
        write(api, definition);
        writeRoutes(api, definition.routes());
        registry.changed();
        return ApiDefinition.of(api);
    }

    /** Creates or replaces; a definition equal to what is stored changes nothing. */
    public ApiDefinition apply(ApiDefinition definition) {
        return Api.findById(definition.id()) == null ? create(definition) : replace(definition.id(), definition);
    }

    /** Deleting an API deletes its subscriptions (their tokens stop working at once). */
    public void delete(String id) {
        if (BUILTIN_ADMIN_API.equals(id)) {
            throw RegistryException.conflict("id", "the built-in admin API cannot be deleted");
        }
        Api api = entity(id);
        Subscription.delete("api.id", id);
        api.delete();
        registry.changed();
    }

    private static Api entity(String id) {
        return Api.<Api>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("API", id));
    }

    private void write(Api api, ApiDefinition d) {
        if (d.id() != null && !d.id().equals(api.id)) {
            throw RegistryException.invalid("id", "the id of an API cannot change");
        }
        require(REQUEST_PATH, d.requestPath(), "requestPath");
        if (!BUILTIN_ADMIN_API.equals(api.id)) {
            for (String reserved : RESERVED_PATHS) {
                if (d.requestPath().equals(reserved) || d.requestPath().startsWith(reserved + "/")) {
                    throw RegistryException.invalid("requestPath", "requestPath may not shadow Portcullis's own path " + reserved);
                }
            }
        }
        for (Api other : Api.<Api>list("id <> ?1", api.id)) {
            if (overlaps(other.requestPath, d.requestPath())) {
                throw RegistryException.conflict("requestPath", "requestPath overlaps that of API '" + other.id + "'");
            }
        }
        if (UpstreamUrl.parse(d.upstreamUrl()) == null) {
            throw RegistryException.invalid("upstreamUrl",
                    "upstreamUrl must be an absolute http or https URL with a host, and without user information, query or fragment");
        }
        int lifetime = d.tokenLifetimeSeconds() == null ? Api.DEFAULT_TOKEN_LIFETIME_SECONDS : d.tokenLifetimeSeconds();
        if (lifetime < 1 || lifetime > 86400) {
            throw RegistryException.invalid("tokenLifetimeSeconds", "tokenLifetimeSeconds must be between 1 and 86400");
        }
        int timeout = d.upstreamTimeoutSeconds() == null ? Api.DEFAULT_UPSTREAM_TIMEOUT_SECONDS : d.upstreamTimeoutSeconds();
        if (timeout < 1 || timeout > 3600) {
            throw RegistryException.invalid("upstreamTimeoutSeconds", "upstreamTimeoutSeconds must be between 1 and 3600");
        }
        AccessTokenType type = d.accessTokenType() == null ? AccessTokenType.AT_JWT : AccessTokenType.ofName(d.accessTokenType());
        if (type == null) {
            throw RegistryException.invalid("accessTokenType", "accessTokenType must be at+jwt or JWT");
        }
        api.name = orDefault(d.name(), api.id);
        api.description = d.description();
        api.requestPath = d.requestPath();
        api.upstreamUrl = d.upstreamUrl();
        api.tokenLifetimeSeconds = lifetime;
        api.upstreamTimeoutSeconds = timeout;
        api.clientCredentialsEnabled = d.clientCredentialsEnabled() == null || d.clientCredentialsEnabled();
        api.hideCredentials = Boolean.TRUE.equals(d.hideCredentials());
        api.deprecated = Boolean.TRUE.equals(d.deprecated());
        api.dpopRequired = Boolean.TRUE.equals(d.dpopRequired());
        api.mtlsRequired = Boolean.TRUE.equals(d.mtlsRequired());
        api.accessTokenType = type.value;
        String claims = TokenClaims.stored(d.tokenClaims(), "tokenClaims");
        if (!java.util.Objects.equals(TokenClaims.parse(claims), TokenClaims.parse(api.tokenClaims))) {
            api.tokenClaims = claims;
        }

        Set<String> methodIds = new LinkedHashSet<>(nullToEmpty(d.authMethods()));
        if (!methodIds.equals(api.authMethods.stream().map(m -> m.id).collect(Collectors.toSet()))) {
            api.authMethods.clear();
            for (String methodId : methodIds) {
                api.authMethods.add(AuthMethod.<AuthMethod>findByIdOptional(methodId)
                        .orElseThrow(() -> RegistryException.invalid("authMethods", "auth method '" + methodId + "' does not exist")));
            }
        }
        Set<String> planIds = new LinkedHashSet<>(nullToEmpty(d.plans()));
        if (!planIds.equals(api.plans.stream().map(p -> p.id).collect(Collectors.toSet()))) {
            api.plans.clear();
            for (String planId : planIds) {
                api.plans.add(Plan.<Plan>findByIdOptional(planId)
                        .orElseThrow(() -> RegistryException.invalid("plans", "plan '" + planId + "' does not exist")));
            }
        }
        List<ApiScope> scopes = new ArrayList<>();
        for (ApiDefinition.Scope scope : nullToEmpty(d.scopes())) {
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
            if (!a.get(i).scopeId.equals(b.get(i).scopeId) || !Objects.equals(a.get(i).description, b.get(i).description)) {
                return false;
            }
        }
        return true;
    }

    private void writeRoutes(Api api, List<ApiDefinition.Route> definitions) {
        List<String> wanted = new ArrayList<>();
        for (ApiDefinition.Route route : nullToEmpty(definitions)) {
            if (route == null || route.pathPrefix() == null || !ROUTE_PREFIX.matcher(route.pathPrefix()).matches()
                    || DOT_SEGMENT.matcher(route.pathPrefix()).matches()) {
                throw RegistryException.invalid("routes", "a route's pathPrefix must be a path like /orders: no trailing slash, dot segment, '%' or ';'");
            }
            for (String method : nullToEmpty(route.methods())) {
                if (method == null || !HTTP_METHOD.matcher(method).matches()) {
                    throw RegistryException.invalid("routes", "'" + method + "' is not an HTTP method");
                }
            }
            for (String scope : nullToEmpty(route.scopes())) {
                if (api.scopes.stream().noneMatch(s -> s.scopeId.equals(scope))) {
                    throw RegistryException.invalid("routes", "route scope '" + scope + "' is not a scope of the API");
                }
            }
            wanted.add(routeKey(route.pathPrefix(), nullToEmpty(route.methods()), nullToEmpty(route.scopes())));
        }
        List<String> current = api.routes.stream().map(r -> routeKey(r.pathPrefix,
                r.methods == null ? List.of() : List.of(r.methods.split(",")),
                r.scopes.stream().map(s -> s.scopeId).sorted().toList())).sorted().toList();
        if (current.equals(wanted.stream().sorted().toList())) {
            return;
        }
        api.routes.clear();
        Api.flush();
        for (ApiDefinition.Route definition : nullToEmpty(definitions)) {
            ApiRoute route = new ApiRoute();
            route.api = api;
            route.pathPrefix = definition.pathPrefix();
            List<String> methods = nullToEmpty(definition.methods());
            route.methods = methods.isEmpty() ? null : String.join(",", methods);
            for (String scope : nullToEmpty(definition.scopes())) {
                route.scopes.add(new ScopeRef(api.id, scope));
            }
            api.routes.add(route);
            route.persist();
        }
    }

    private static String routeKey(String prefix, List<String> methods, List<String> scopes) {
        return prefix + " " + methods.stream().sorted().toList() + " " + scopes.stream().sorted().toList();
    }
}

package io.portcullis.registry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An API as the admin API, the declarative file and {@link ApiService} read and write it
 * (docs/contract.md#model). Absent values take their defaults. Code builds one with {@link #builder(String)}:
 * a field added here is added to the builder beside it, and nowhere else.
 */
public record ApiDefinition(String id, String name, String description, String requestPath, String upstreamUrl,
                            List<String> authMethods, List<Scope> scopes, List<Route> routes, List<String> plans,
                            Integer tokenLifetimeSeconds, Boolean clientCredentialsEnabled, Boolean hideCredentials,
                            Boolean deprecated, Integer upstreamTimeoutSeconds, Boolean dpopRequired, String accessTokenType,
                            Map<String, Object> tokenClaims, Boolean mtlsRequired) {

    public record Scope(String id, String description) {
    }

    /** A route below the API: the scopes a path prefix needs, for some methods or all. */
    public record Route(String pathPrefix, List<String> methods, List<String> scopes) {
        static Route of(ApiRoute r) {
            return new Route(r.pathPrefix, r.methods == null ? List.of() : Arrays.asList(r.methods.split(",")),
                    r.scopes.stream().map(s -> s.scopeId).sorted().toList());
        }
    }

    static ApiDefinition of(Api a) {
        return builder(a.id).name(a.name).description(a.description).requestPath(a.requestPath).upstreamUrl(a.upstreamUrl)
                .authMethods(a.authMethods.stream().map(m -> m.id).sorted().toList())
                .scopes(a.scopes.stream().map(s -> new Scope(s.scopeId, s.description)).toList())
                .routes(a.routes.stream().map(Route::of).toList())
                .plans(a.plans.stream().map(p -> p.id).sorted().toList())
                .tokenLifetimeSeconds(a.tokenLifetimeSeconds).clientCredentialsEnabled(a.clientCredentialsEnabled)
                .hideCredentials(a.hideCredentials).deprecated(a.deprecated).upstreamTimeoutSeconds(a.upstreamTimeoutSeconds)
                .dpopRequired(a.dpopRequired).accessTokenType(a.accessTokenType).tokenClaims(TokenClaims.parse(a.tokenClaims))
                .mtlsRequired(a.mtlsRequired)
                .build();
    }

    public static Builder builder(String id) {
        return new Builder().id(id);
    }

    public Builder toBuilder() {
        return new Builder().id(id).name(name).description(description).requestPath(requestPath).upstreamUrl(upstreamUrl)
                .authMethods(authMethods).scopes(scopes).routes(routes).plans(plans).tokenLifetimeSeconds(tokenLifetimeSeconds)
                .clientCredentialsEnabled(clientCredentialsEnabled).hideCredentials(hideCredentials).deprecated(deprecated)
                .upstreamTimeoutSeconds(upstreamTimeoutSeconds).dpopRequired(dpopRequired).accessTokenType(accessTokenType)
                .tokenClaims(tokenClaims).mtlsRequired(mtlsRequired);
    }

    public static final class Builder {
        private String id;
        private String name;
        private String description;
        private String requestPath;
        private String upstreamUrl;
        private List<String> authMethods;
        private List<Scope> scopes;
        private List<Route> routes;
        private List<String> plans;
        private Integer tokenLifetimeSeconds;
        private Boolean clientCredentialsEnabled;
        private Boolean hideCredentials;
        private Boolean deprecated;
        private Integer upstreamTimeoutSeconds;
        private Boolean dpopRequired;
        private String accessTokenType;
        private Map<String, Object> tokenClaims;
        private Boolean mtlsRequired;

        private Builder() {
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder requestPath(String v) { requestPath = v; return this; }
        public Builder upstreamUrl(String v) { upstreamUrl = v; return this; }
        public Builder authMethods(List<String> v) { authMethods = v; return this; }
        public Builder authMethods(String... v) { return authMethods(List.of(v)); }
        public Builder scopes(List<Scope> v) { scopes = v; return this; }
        /** Scopes by id, each described as "Scope id". */
        public Builder scopeIds(String... ids) { return scopes(Arrays.stream(ids).map(s -> new Scope(s, "Scope " + s)).toList()); }
        public Builder routes(List<Route> v) { routes = v; return this; }
        public Builder routes(Route... v) { return routes(List.of(v)); }
        public Builder plans(List<String> v) { plans = v; return this; }
        public Builder plans(String... v) { return plans(List.of(v)); }
        public Builder tokenLifetimeSeconds(Integer v) { tokenLifetimeSeconds = v; return this; }
        public Builder clientCredentialsEnabled(Boolean v) { clientCredentialsEnabled = v; return this; }
        public Builder hideCredentials(Boolean v) { hideCredentials = v; return this; }
        public Builder deprecated(Boolean v) { deprecated = v; return this; }
        public Builder upstreamTimeoutSeconds(Integer v) { upstreamTimeoutSeconds = v; return this; }
        public Builder dpopRequired(Boolean v) { dpopRequired = v; return this; }
        public Builder accessTokenType(String v) { accessTokenType = v; return this; }
        public Builder tokenClaims(Map<String, Object> v) { tokenClaims = v; return this; }
        public Builder mtlsRequired(Boolean v) { mtlsRequired = v; return this; }

        public ApiDefinition build() {
            return new ApiDefinition(id, name, description, requestPath, upstreamUrl, authMethods, scopes, routes, plans,
                    tokenLifetimeSeconds, clientCredentialsEnabled, hideCredentials, deprecated, upstreamTimeoutSeconds,
                    dpopRequired, accessTokenType, tokenClaims, mtlsRequired);
        }
    }
}

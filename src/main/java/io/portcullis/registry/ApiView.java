package io.portcullis.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable snapshot of an API, as the token service and the gateway read it from the cache: its
 * definition, and what the hot paths look up in it, prepared once.
 *
 * @param scopes scope id to description, in the API's order
 * @param upstream the upstream URL as {@link UpstreamUrl} parses it, or null when it is not usable
 */
public record ApiView(ApiDefinition definition, AccessTokenType accessTokenType, Set<String> authMethodIds,
                      Map<String, String> scopes, List<RouteView> routes, java.net.URI upstream) {

    /** From a stored definition, whose defaults are filled in. */
    public static ApiView of(ApiDefinition d) {
        Map<String, String> scopes = new LinkedHashMap<>();
        d.scopes().forEach(s -> scopes.put(s.id(), s.description()));
        List<RouteView> routes = d.routes().stream()
                .map(r -> new RouteView(r.pathPrefix(), Set.copyOf(r.methods()),
                        // in the API's order, so that an insufficient_scope challenge reads the same every time
                        scopes.keySet().stream().filter(r.scopes()::contains).collect(Collectors.toCollection(LinkedHashSet::new))))
                .toList();
        return new ApiView(d, AccessTokenType.of(d.accessTokenType()), Set.copyOf(d.authMethods()),
                Collections.unmodifiableMap(scopes), routes, UpstreamUrl.parse(d.upstreamUrl()));
    }

    public String id() {
        return definition.id();
    }

    public String name() {
        return definition.name();
    }

    public String description() {
        return definition.description();
    }

    public String requestPath() {
        return definition.requestPath();
    }

    public String upstreamUrl() {
        return definition.upstreamUrl();
    }

    public int tokenLifetimeSeconds() {
        return definition.tokenLifetimeSeconds();
    }

    public boolean clientCredentialsEnabled() {
        return definition.clientCredentialsEnabled();
    }

    public boolean hideCredentials() {
        return definition.hideCredentials();
    }

    public boolean deprecated() {
        return definition.deprecated();
    }

    public int upstreamTimeoutSeconds() {
        return definition.upstreamTimeoutSeconds();
    }

    public boolean dpopRequired() {
        return definition.dpopRequired();
    }

    /** RFC 8705 section 3: token requests need a client certificate, and every token is bound to one. */
    public boolean mtlsRequired() {
        return Boolean.TRUE.equals(definition.mtlsRequired());
    }

    /** Claims every token of this API carries, or null (docs/contract.md#token-policy). */
    public Map<String, Object> tokenClaims() {
        return definition.tokenClaims();
    }

    public boolean accepts(String authMethodId) {
        return authMethodIds.contains(authMethodId);
    }

    public boolean definesScope(String scope) {
        return scopes.containsKey(scope);
    }

    /**
     * The scopes a request needs: those of the most specific route whose prefix covers the path
     * and whose methods include the method; none when no route matches.
     */
    public Set<String> requiredScopes(String method, String path) {
        RouteView best = null;
        for (RouteView route : routes) {
            if (route.matches(method, path)
                    && (best == null || route.pathPrefix().length() > best.pathPrefix().length())) {
                best = route;
            }
        }
        return best == null ? Set.of() : best.scopes();
    }

    public record RouteView(String pathPrefix, Set<String> methods, Set<String> scopes) {
        /**
         * Prefix matching on whole path segments: {@code /orders} covers {@code /orders/1}, not
         * {@code /ordersX}. HEAD is GET without the body (RFC 9110 section 9.3.2), so it needs what GET needs.
         */
        boolean matches(String method, String path) {
            if (!methods.isEmpty() && !methods.contains(method) && !("HEAD".equals(method) && methods.contains("GET"))) {
                return false;
            }
            if (pathPrefix.equals("/")) {
                return true;
            }
            return path.equals(pathPrefix) || path.startsWith(pathPrefix.endsWith("/") ? pathPrefix : pathPrefix + "/");
        }
    }
}

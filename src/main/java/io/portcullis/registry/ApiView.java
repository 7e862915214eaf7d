package io.portcullis.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of an API, as the token service and the gateway read it from the cache.
 *
 * @param scopes scope id to description, in the API's order
 */
public record ApiView(
        String id,
        String name,
        String description,
        String requestPath,
        String upstreamUrl,
        int tokenLifetimeSeconds,
        boolean clientCredentialsEnabled,
        boolean hideCredentials,
        boolean deprecated,
        int upstreamTimeoutSeconds,
        boolean dpopRequired,
        AccessTokenType accessTokenType,
        Set<String> authMethodIds,
        Map<String, String> scopes,
        List<RouteView> routes) {

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

package io.portcullis.portal;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.token.AccessTokenIssuer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the portal shows of one API (docs/contract.md#management), computed from the registry snapshot so
 * that the templates only print values. Every URL is built from the configured public URL, never
 * from request headers.
 *
 * @param tokenEndpoints one per enabled auth method the API accepts, by auth method id
 * @param scopes         in the API's order
 * @param routes         the routes that require scopes
 */
@io.quarkus.runtime.annotations.RegisterForReflection(targets = {ApiPage.class, ApiPage.TokenEndpoint.class,
        ApiPage.Scope.class, ApiPage.Route.class, ApiPage.Summary.class})
public record ApiPage(
        ApiView api,
        String apiEndpoint,
        List<TokenEndpoint> tokenEndpoints,
        List<Scope> scopes,
        List<Route> routes,
        String tokenLifetime,
        String resourceMetadataUrl,
        String portalUrl) {

    public String id() {
        return api.id();
    }

    public String name() {
        return api.name();
    }

    public String description() {
        return blankTo(api.description(), null);
    }

    public boolean deprecated() {
        return api.deprecated();
    }

    public boolean clientCredentialsEnabled() {
        return api.clientCredentialsEnabled();
    }

    public int tokenLifetimeSeconds() {
        return api.tokenLifetimeSeconds();
    }

    /** The API's own token claims, each as {@code name: JSON value}; a subscription may add its own. */
    public List<String> tokenClaims() {
        if (api.tokenClaims() == null) {
            return List.of();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        return api.tokenClaims().entrySet().stream().map(e -> {
            try {
                return e.getKey() + ": " + json.writeValueAsString(e.getValue());
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                return e.getKey();
            }
        }).toList();
    }

    /** Where one auth method issues tokens for this API, and its RFC 8414 metadata. */
    public record TokenEndpoint(String authMethodId, String friendlyName, String description, String url,
                                String metadataUrl, String exampleId) {
    }

    public record Scope(String id, String description) {
    }

    /**
     * @param path    the route's path prefix below the API endpoint
     * @param methods the HTTP methods it applies to, in words
     * @param scopes  the scopes it requires, comma separated
     */
    public record Route(String path, String methods, String scopes) {
    }

    /** One line of the portal's list of APIs. */
    public record Summary(String id, String name, String description, String pageUrl, String apiEndpoint) {
    }

    /**
     * @param methods auth methods; only the enabled ones the API accepts are shown, whatever is passed
     */
    public static ApiPage of(ApiView api, Collection<AuthMethodView> methods, PortcullisConfig config, AccessTokenIssuer issuer) {
        List<AuthMethodView> shown = methods.stream()
                .filter(m -> m.enabled() && api.accepts(m.id()))
                .sorted(Comparator.comparing(AuthMethodView::id))
                .toList();
        List<TokenEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            AuthMethodView method = shown.get(i);
            String iss = issuer.issuer(method.id(), api.id());
            endpoints.add(new TokenEndpoint(method.id(), blankTo(method.friendlyName(), method.id()),
                    blankTo(method.description(), null), iss + "/token",
                    iss + "/.well-known/oauth-authorization-server", "token-example-" + i));
        }
        List<Scope> scopes = api.scopes().entrySet().stream()
                .map(e -> new Scope(e.getKey(), e.getValue() == null ? "" : e.getValue()))
                .toList();
        List<Route> routes = api.routes().stream()
                .filter(r -> !r.scopes().isEmpty())
                .sorted(Comparator.comparing(ApiView.RouteView::pathPrefix))
                .map(r -> new Route(r.pathPrefix(),
                        r.methods().isEmpty() ? "any method" : String.join(", ", r.methods().stream().sorted().toList()),
                        String.join(", ", r.scopes())))
                .toList();
        return new ApiPage(
                api,
                config.resourceIdentifier(api.requestPath()),
                List.copyOf(endpoints),
                scopes,
                routes,
                lifetime(api.tokenLifetimeSeconds()),
                config.baseUrl() + "/.well-known/oauth-protected-resource" + api.requestPath(),
                indexUrl(config));
    }

    /** Whether the portal lists the API: not deprecated, and at least one enabled auth method issues tokens for it. */
    public static boolean listed(ApiView api, Map<String, AuthMethodView> authMethods) {
        // the built-in admin API is for operators, not for visitors
        return !api.deprecated() && !io.portcullis.registry.RegistryRules.BUILTIN_ADMIN_API.equals(api.id()) && api.authMethodIds().stream()
                .map(authMethods::get)
                .anyMatch(m -> m != null && m.enabled());
    }

    public static Summary summary(ApiView api, PortcullisConfig config) {
        return new Summary(api.id(), api.name(), blankTo(api.description(), null),
                pageUrl(config, api.id()), config.resourceIdentifier(api.requestPath()));
    }

    public static String indexUrl(PortcullisConfig config) {
        return config.baseUrl() + "/portal";
    }

    public static String pageUrl(PortcullisConfig config, String apiId) {
        return indexUrl(config) + "/apis/" + apiId;
    }

    /** "3600 seconds (1 hour)", "90 seconds (1 minute 30 seconds)". */
    static String lifetime(int seconds) {
        String exact = seconds + (seconds == 1 ? " second" : " seconds");
        if (seconds < 60) {
            return exact;
        }
        List<String> parts = new ArrayList<>();
        int hours = seconds / 3600;
        int minutes = seconds % 3600 / 60;
        int rest = seconds % 60;
        if (hours > 0) {
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
        }
        if (minutes > 0) {
            parts.add(minutes + (minutes == 1 ? " minute" : " minutes"));
        }
        if (rest > 0) {
            parts.add(rest + (rest == 1 ? " second" : " seconds"));
        }
        return exact + " (" + String.join(" ", parts) + ")";
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}

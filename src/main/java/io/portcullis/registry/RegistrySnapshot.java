package io.portcullis.registry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every auth method, API and trusted issuer at one registry version, immutable, with the gateway's routing index. */
public record RegistrySnapshot(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis,
                               List<ApiView> byPathLengthDesc, Map<String, TrustedIssuerView> trustedIssuersByIssuer) {
    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(Map.of(), Map.of(), Map.of(), List.of(), Map.of());

    public static RegistrySnapshot of(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis) {
        return of(authMethods, plans, apis, Map.of());
    }

    /** @param trustedIssuers by their {@code issuer}, which a workload's JWT names as {@code iss} */
    public static RegistrySnapshot of(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis,
                                      Map<String, TrustedIssuerView> trustedIssuers) {
        // the built-in admin API is served by Portcullis itself, never proxied
        List<ApiView> byPath = apis.values().stream()
                .filter(a -> !RegistryRules.BUILTIN_ADMIN_API.equals(a.id()))
                .sorted(Comparator.comparingInt((ApiView a) -> a.requestPath().length()).reversed())
                .toList();
        return new RegistrySnapshot(Map.copyOf(authMethods), Map.copyOf(plans), Map.copyOf(apis), byPath, Map.copyOf(trustedIssuers));
    }

    /**
     * The API whose request path is this path or a segment prefix of it. Request paths may not
     * overlap (ApiService checks), so the first, longest match is the only one.
     */
    public Optional<ApiView> apiForPath(String path) {
        for (ApiView api : byPathLengthDesc) {
            String prefix = api.requestPath();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }
}

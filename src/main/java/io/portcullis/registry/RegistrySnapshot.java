package io.portcullis.registry;

import java.util.Map;
import java.util.Optional;

/** Every auth method, API and trusted issuer at one registry version, immutable, with the gateway's routing index. */
public record RegistrySnapshot(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis,
                               Map<String, ApiView> byRequestPath, Map<String, TrustedIssuerView> trustedIssuersByIssuer) {
    public static final RegistrySnapshot EMPTY = new RegistrySnapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    public static RegistrySnapshot of(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis) {
        return of(authMethods, plans, apis, Map.of());
    }

    /** @param trustedIssuers by their {@code issuer}, which a workload's JWT names as {@code iss} */
    public static RegistrySnapshot of(Map<String, AuthMethodView> authMethods, Map<String, PlanView> plans, Map<String, ApiView> apis,
                                      Map<String, TrustedIssuerView> trustedIssuers) {
        // the built-in admin API is served by Portcullis itself, never proxied
        // HashMaps, not Map.copyOf's, for the maps every request reads: a HashMap compares the stored hash before
        // equals, where the immutable map's open addressing called String.equals on every colliding key on the
        // way (2% of a warm gateway request, with 1,000 APIs)
        Map<String, ApiView> byPath = new java.util.HashMap<>();
        for (ApiView api : apis.values()) {
            if (!RegistryRules.BUILTIN_ADMIN_API.equals(api.id())) {
                byPath.putIfAbsent(java.util.Objects.requireNonNull(api.requestPath(), "an API's request path"), api);
            }
        }
        return new RegistrySnapshot(Map.copyOf(authMethods), Map.copyOf(plans), java.util.Collections.unmodifiableMap(new java.util.HashMap<>(apis)), java.util.Collections.unmodifiableMap(byPath), Map.copyOf(trustedIssuers));
    }

    /**
     * The API whose request path is this path or a segment prefix of it. Request paths may not
     * overlap (ApiService checks), so the longest match is the only one. One map lookup per segment
     * of the path, longest first: every request asks (the token endpoint's too, to be told it is no
     * API's), and a scan of the APIs was a sixth of a token's CPU with 1,000 of them registered.
     */
    public Optional<ApiView> apiForPath(String path) {
        int end = path.length();
        while (end > 0) {
            ApiView api = byRequestPath.get(end == path.length() ? path : path.substring(0, end));
            if (api != null) {
                return Optional.of(api);
            }
            end = path.lastIndexOf('/', end - 1);
        }
        return Optional.empty();
    }
}

package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gateway's routing index: which API a request path belongs to (docs/contract.md#gateway). */
class RegistrySnapshotTest {
    static ApiView api(String id, String requestPath) {
        return ApiView.of(ApiDefinition.builder(id).name(id).requestPath(requestPath).upstreamUrl("http://upstream:8080")
                .tokenLifetimeSeconds(3600).clientCredentialsEnabled(true).hideCredentials(false).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(false).accessTokenType("at+jwt").authMethods(List.of("default"))
                .scopes(List.of()).routes(List.of()).plans().build());
    }

    static final RegistrySnapshot SNAPSHOT = RegistrySnapshot.of(Map.of(), Map.of(),
            Stream.of(api("pets", "/pets"), api("petsx", "/petsx"), api("orders", "/v1/orders"), api("reports", "/reports"))
                    .collect(Collectors.toMap(ApiView::id, Function.identity())));

    static String match(String path) {
        return SNAPSHOT.apiForPath(path).map(ApiView::id).orElse(null);
    }

    @Test
    void aPathBelongsToTheApiWhoseRequestPathIsItOrASegmentPrefix() {
        assertEquals("pets", match("/pets"));
        assertEquals("pets", match("/pets/"));
        assertEquals("pets", match("/pets/1/photos"));
        assertEquals("petsx", match("/petsx/1"));
        assertEquals("orders", match("/v1/orders"));
        assertEquals("orders", match("/v1/orders/7"));
        assertEquals(null, match("/pet"));
        assertEquals(null, match("/pets1"));
        assertEquals(null, match("/v1"));
        assertEquals(null, match("/v1/order"));
        assertEquals(null, match("/"));
        assertEquals(null, match(""));
        assertEquals(null, match("//pets"));
        assertEquals(null, match("/auth/default/api/pets/token"));
    }

    @Test
    void theBuiltInAdminApiIsNeverProxied() {
        RegistrySnapshot withAdmin = RegistrySnapshot.of(Map.of(), Map.of(), Map.of("admin", api(RegistryRules.BUILTIN_ADMIN_API, "/admin")));
        assertEquals(Optional.empty(), withAdmin.apiForPath("/admin/v1/apis"));
    }
}

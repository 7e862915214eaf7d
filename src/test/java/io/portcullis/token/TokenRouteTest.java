package io.portcullis.token;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which paths the token route takes; everything else stays with the REST resource. */
class TokenRouteTest {
    @Test
    void takesTheTokenEndpointOfPlainIds() {
        assertArrayEquals(new String[]{"default", "orders-api"}, TokenRoute.endpoint("/auth/default/api/orders-api/token"));
        assertArrayEquals(new String[]{"a_b", "X9"}, TokenRoute.endpoint("/auth/a_b/api/X9/token"));
    }

    @Test
    void leavesEverythingElseToTheRestLayer() {
        for (String path : new String[]{"/auth/default/api/orders/token/", "/auth/default/api/orders/introspect",
                "/auth/default/api/orders/revoke", "/auth//api/orders/token", "/auth/default/api//token",
                "/auth/../api/orders/token", "/auth/default/api/../token", "/auth/de%66ault/api/orders/token",
                "/auth/a/b/api/orders/token", "/auth/default/api/a/api/b/token", "/auth/default/api/orders/tokens",
                "/auth/default/apis/orders/token", "/orders/token", "/auth/default/api/orders%2Ftoken", null}) {
            assertNull(TokenRoute.endpoint(path), path);
        }
    }
}

package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route matching and the view the hot paths read, from a definition: no database, no HTTP. */
class ApiViewTest {
    static ApiView view(ApiDefinition.Route... routes) {
        return ApiView.of(ApiDefinition.builder("pets").name("Pets").requestPath("/pets").upstreamUrl("http://pets:8080")
                .tokenLifetimeSeconds(3600).clientCredentialsEnabled(true).hideCredentials(false).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(false).accessTokenType("JWT").authMethods("default", "partners")
                .scopes(List.of(new ApiDefinition.Scope("write", "Write"), new ApiDefinition.Scope("read", "Read"),
                        new ApiDefinition.Scope("admin", "Admin")))
                .routes(routes).plans("basic").build());
    }

    @Test
    void theMostSpecificRouteWinsOnWholeSegments() {
        ApiView api = view(new ApiDefinition.Route("/", List.of(), List.of("read")),
                new ApiDefinition.Route("/orders", List.of(), List.of("write")),
                new ApiDefinition.Route("/orders/audit", List.of(), List.of("admin")));
        assertEquals(Set.of("read"), api.requiredScopes("GET", "/"));
        assertEquals(Set.of("write"), api.requiredScopes("GET", "/orders"));
        assertEquals(Set.of("write"), api.requiredScopes("GET", "/orders/1"));
        assertEquals(Set.of("read"), api.requiredScopes("GET", "/ordersX"), "a prefix covers whole segments only");
        assertEquals(Set.of("admin"), api.requiredScopes("GET", "/orders/audit/2026"));
    }

    @Test
    void methodsNarrowARouteAndHeadNeedsWhatGetNeeds() {
        ApiView api = view(new ApiDefinition.Route("/", List.of("GET"), List.of("read")),
                new ApiDefinition.Route("/", List.of("POST", "DELETE"), List.of("write")));
        assertEquals(Set.of("read"), api.requiredScopes("GET", "/x"));
        assertEquals(Set.of("read"), api.requiredScopes("HEAD", "/x"));
        assertEquals(Set.of("write"), api.requiredScopes("DELETE", "/x"));
        assertEquals(Set.of(), api.requiredScopes("PATCH", "/x"), "no route: no scope is required");
    }

    @Test
    void aRoutesScopesKeepTheApisOrderForItsChallenge() {
        ApiView api = view(new ApiDefinition.Route("/", List.of(), List.of("read", "admin", "write")));
        assertEquals(List.of("write", "read", "admin"), List.copyOf(api.requiredScopes("GET", "/")));
    }

    @Test
    void theViewAnswersFromItsDefinition() {
        ApiView api = view();
        assertTrue(api.accepts("partners"));
        assertFalse(api.accepts("other"));
        assertTrue(api.definesScope("admin"));
        assertFalse(api.definesScope("Admin"));
        assertEquals(AccessTokenType.JWT, api.accessTokenType());
        assertEquals(3600, api.tokenLifetimeSeconds());
        assertEquals("/pets", api.requestPath());
    }
}

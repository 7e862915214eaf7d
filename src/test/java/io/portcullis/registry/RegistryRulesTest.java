package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identifier and path rules every aggregate's service applies. */
class RegistryRulesTest {
    @Test
    void requestPathsOverlapOnWholeSegmentsEitherWay() {
        assertTrue(RegistryRules.overlaps("/pets", "/pets"));
        assertTrue(RegistryRules.overlaps("/pets", "/pets/v2"));
        assertTrue(RegistryRules.overlaps("/pets/v2", "/pets"));
        assertFalse(RegistryRules.overlaps("/pets", "/petshop"));
        assertFalse(RegistryRules.overlaps("/a/b", "/a/c"));
    }

    @Test
    void aValueThatBreaksItsPatternIsRefusedNamingTheField() {
        RegistryRules.require(RegistryRules.APPLICATION_ID, "app-1", "id");
        RegistryException e = assertThrows(RegistryException.class, () -> RegistryRules.require(RegistryRules.APPLICATION_ID, "app", "id"));
        assertEquals("id", e.field);
        assertEquals(RegistryException.Kind.INVALID, e.kind);
        assertThrows(RegistryException.class, () -> RegistryRules.require(RegistryRules.API_ID, null, "id"));
        assertThrows(RegistryException.class, () -> RegistryRules.require(RegistryRules.API_ID, "Pets", "id"));
        assertThrows(RegistryException.class, () -> RegistryRules.require(RegistryRules.REQUEST_PATH, "/pets/", "requestPath"));
        assertThrows(RegistryException.class, () -> RegistryRules.require(RegistryRules.REQUEST_PATH, "/./pets", "requestPath"));
        RegistryRules.require(RegistryRules.SCOPE_ID, "orders:read", "scopes");
    }

    @Test
    void aRoutePrefixIsAPathWithoutDotSegmentsOrATrailingSlash() {
        assertTrue(RegistryRules.ROUTE_PREFIX.matcher("/").matches());
        assertTrue(RegistryRules.ROUTE_PREFIX.matcher("/orders/v1.2").matches());
        assertFalse(RegistryRules.ROUTE_PREFIX.matcher("/orders/").matches());
        assertFalse(RegistryRules.ROUTE_PREFIX.matcher("/a%2Fb").matches());
        assertTrue(RegistryRules.DOT_SEGMENT.matcher("/a/../b").matches());
        assertFalse(RegistryRules.DOT_SEGMENT.matcher("/a/..b").matches());
    }
}

package io.portcullis.token;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.ClientView;
import io.portcullis.registry.ScopeMode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 6749 section 3.3 and the subscription rules, without HTTP. */
class ScopePolicyTest {
    static final ApiView API;

    static {
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("read", "");
        scopes.put("write", "");
        scopes.put("admin", "");
        API = new ApiView("api", "API", null, "/api", "http://up", 3600, true, false, false, 60, false, io.portcullis.registry.AccessTokenType.AT_JWT, Set.of("default"), scopes, List.of());
    }

    static ClientView client(ScopeMode mode, Set<String> allowed, boolean trusted) {
        return new ClientView("client-id-1", null, UUID.randomUUID(), "app", ClientType.CONFIDENTIAL, "api", "basic",
                true, trusted, mode, allowed, null, null, null, null);
    }

    @Test
    void parseFollowsTheGrammar() {
        assertEquals(Set.of(), ScopePolicy.parse(null));
        assertEquals(List.of("b", "a"), List.copyOf(ScopePolicy.parse("b a b")));
        for (String bad : List.of("", "a  b", " a", "a ", "a\tb", "a\"b", "é")) {
            assertThrows(OAuthError.class, () -> ScopePolicy.parse(bad), bad);
        }
    }

    @Test
    void grantFollowsTheModes() {
        assertEquals(List.of("read", "write"), List.copyOf(ScopePolicy.grant(API, client(ScopeMode.ALL, Set.of(), false), Set.of("write", "read"))));
        assertEquals(Set.of(), ScopePolicy.grant(API, client(ScopeMode.ALL, Set.of(), false), Set.of()));
        assertEquals(Set.of(), ScopePolicy.grant(API, client(ScopeMode.NONE, Set.of(), false), Set.of("read")));
        assertEquals(Set.of("read"), ScopePolicy.grant(API, client(ScopeMode.SELECT, Set.of("read"), false), Set.of("read", "write")));
        assertEquals(List.of("read", "write", "admin"), List.copyOf(ScopePolicy.grant(API, client(ScopeMode.NONE, Set.of(), true), Set.of())));
        assertEquals(Set.of("admin"), ScopePolicy.grant(API, client(ScopeMode.NONE, Set.of(), true), Set.of("admin")));
    }

    @Test
    void undefinedScopeIsAnErrorEvenForTrustedClients() {
        OAuthError e = assertThrows(OAuthError.class,
                () -> ScopePolicy.grant(API, client(ScopeMode.ALL, Set.of(), true), Set.of("read", "root")));
        assertEquals("invalid_scope", e.error);
    }
}

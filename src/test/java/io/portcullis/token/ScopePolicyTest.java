package io.portcullis.token;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.SubscriptionDefinition;
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
        API = ApiView.of(ApiDefinition.builder("api").name("API").requestPath("/api").upstreamUrl("http://up").tokenLifetimeSeconds(3600)
                .clientCredentialsEnabled(true).hideCredentials(false).deprecated(false).upstreamTimeoutSeconds(60).dpopRequired(false)
                .accessTokenType("at+jwt").authMethods("default").routes().plans()
                .scopes(scopes.entrySet().stream().map(e -> new ApiDefinition.Scope(e.getKey(), e.getValue())).toList()).build());
    }

    static RegisteredClient client(ScopeMode mode, Set<String> allowed, boolean trusted) {
        return new RegisteredClient("client-id-1", UUID.randomUUID(), ClientType.CONFIDENTIAL, true,
                new SubscriptionDefinition("app", "api", "basic", trusted, mode, List.copyOf(allowed)), RegisteredClient.Credentials.NONE);
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

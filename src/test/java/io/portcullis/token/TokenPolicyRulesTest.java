package io.portcullis.token;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.TokenQuota;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decisions of docs/contract.md#token-policy without HTTP: claims merged, lifetimes, quota headers. */
class TokenPolicyRulesTest {
    static ApiView api(Map<String, Object> claims) {
        return ApiView.of(ApiDefinition.builder("pets").name("Pets").requestPath("/pets").upstreamUrl("http://pets")
                .tokenLifetimeSeconds(600).clientCredentialsEnabled(true).hideCredentials(false).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(false).accessTokenType("at+jwt").authMethods("default").routes().plans()
                .scopes(List.of()).tokenClaims(claims).build());
    }

    static RegisteredClient client(Map<String, Object> claims, Integer lifetime) {
        return new RegisteredClient("client-1", UUID.randomUUID(), ClientType.CONFIDENTIAL, true,
                new SubscriptionDefinition("app", "pets", "basic", false, ScopeMode.ALL, List.of(), claims, lifetime),
                RegisteredClient.Credentials.NONE);
    }

    @Test
    void theSubscriptionsClaimsWinPerName() {
        assertEquals(Map.of(), TokenPolicy.claims(api(null), client(null, null)));
        assertEquals(Map.of("a", 1), TokenPolicy.claims(api(Map.of("a", 1)), client(null, null)));
        assertEquals(Map.of("b", 2), TokenPolicy.claims(api(null), client(Map.of("b", 2), null)));
        assertEquals(Map.of("a", 3, "b", 2), TokenPolicy.claims(api(Map.of("a", 1, "b", 2)), client(Map.of("a", 3), null)));
    }

    @Test
    void aSubscriptionsLifetimeOnlyShortens() {
        assertEquals(600, TokenPolicy.lifetimeSeconds(api(null), client(null, null)));
        assertEquals(60, TokenPolicy.lifetimeSeconds(api(null), client(null, 60)));
        assertEquals(600, TokenPolicy.lifetimeSeconds(api(null), client(null, 6000)), "an API shortened later still bounds it");
    }

    @Test
    void theRateLimitHeadersSayWhatRemainsAndWhen() {
        TokenQuota quota = new TokenQuota(100, "hour", "enforce");
        TokenQuotas.Standing within = new TokenQuotas.Standing(quota, 40, 1200);
        assertEquals("\"tokens\";q=100;w=3600", within.headers().get("RateLimit-Policy"));
        assertEquals("\"tokens\";r=60;t=1200", within.headers().get("RateLimit"));
        assertFalse(within.exceeded());
        TokenQuotas.Standing over = new TokenQuotas.Standing(quota, 101, 5);
        assertTrue(over.exceeded());
        assertEquals("\"tokens\";r=0;t=5", over.headers().get("RateLimit"));
    }
}

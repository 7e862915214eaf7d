package io.portcullis.limits;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.TokenQuota;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's plan rate limit and the token endpoint's quota with {@code portcullis.limits.store=redis}
 * (a Redis database of the tests' own). Skipped, with one line, on a machine without Redis.
 */
@QuarkusTest
@TestProfile(RedisStoreGatewayTest.RedisStore.class)
class RedisStoreGatewayTest {
    public static class RedisStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a budget for a test JVM under load: what is checked here is that counts reach Redis
            return Map.of("portcullis.limits.store", "redis", "portcullis.limits.redis.url", RedisLimitsTest.URL,
                    "portcullis.limits.redis.timeout", "2s");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    PlanService plans;

    @Inject
    LimitsStore limits;

    @BeforeAll
    static void redis() throws Exception {
        RedisLimitsTest.redis();
        Assumptions.assumeTrue(RedisLimitsTest.vertx != null);
        RedisLimitsTest.close();
    }

    @Test
    void aPlansRateLimitAndATokenQuotaAreCountedInRedis() throws Exception {
        fixtures.ensureBasics();
        String plan = Fixtures.uniqueId("shared");
        plans.create(new PlanDefinition(plan, "Shared", null, false, 3, new TokenQuota(2, "hour", "enforce")));
        try (TestUpstream upstream = new TestUpstream()) {
            String api = Fixtures.uniqueId("redisapi");
            apis.create(ApiDefinition.builder(api).requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(Fixtures.AUTH_METHOD).plans(plan).build());
            IssuedCredentials client = fixtures.subscribe(api, ScopeMode.ALL, List.of(), false, ClientType.CONFIDENTIAL, plan);
            String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            TokenClient.post(api, client.clientId(), client.clientSecret(), null).then().statusCode(200)
                    .header("RateLimit", org.hamcrest.Matchers.startsWith("\"tokens\";r=0;"));
            TokenClient.post(api, client.clientId(), client.clientSecret(), null).then().statusCode(429)
                    .body("error", equalTo("rate_limited"));
            for (int i = 0; i < 3; i++) {
                given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
            }
            given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(429)
                    .body("error", equalTo("rate_limited"));
        }
        assertTrue(limits.shared() && limits.redisUp(), "counted in Redis");
        assertEquals(0, limits.fallbacks());
    }

    @Test
    void failedAuthenticationsAreCountedInRedisAndLockAsBefore() {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        for (int i = 0; i < 10; i++) {
            TokenClient.post(api, client.clientId(), "wrong-secret-" + i, "read").then().statusCode(401);
        }
        TokenClient.post(api, client.clientId(), "wrong-secret", "read").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // the real client is never locked out by its id's failures
        TokenClient.post(api, client.clientId(), client.clientSecret(), "read").then().statusCode(200);
        assertTrue(limits.redisUp());
        assertEquals(0, limits.fallbacks());
    }
}

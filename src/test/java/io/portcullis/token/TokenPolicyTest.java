package io.portcullis.token;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.ops.AuditLog;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.portcullis.support.AdminClient.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token policy (docs/contract.md#token-policy) end to end: claims of an API and of a subscription in the
 * token and in introspection, a subscription's shorter lifetime, and a plan's token quota in both modes,
 * with its RateLimit headers.
 */
@QuarkusTest
class TokenPolicyTest {
    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    AuditLog auditLog;

    String api;
    IssuedCredentials client;

    @BeforeEach
    void setUp() {
        fixtures.ensureBasics();
        api = Fixtures.uniqueId("policy");
        apis.create(ApiDefinition.builder(api).requestPath("/" + api).upstreamUrl("http://127.0.0.1:9/").tokenLifetimeSeconds(600)
                .authMethods(Fixtures.AUTH_METHOD).scopeIds("read").plans(Fixtures.PLAN)
                .tokenClaims(Map.of("tenant", "acme", "tier", "gold", "limits", Map.of("rps", 10))).build());
        client = fixtures.subscribe(api);
    }

    JWTClaimsSet claims(Response answer) throws Exception {
        return SignedJWT.parse(answer.then().statusCode(200).extract().<String>path("access_token")).getJWTClaimsSet();
    }

    void terms(IssuedCredentials subscription, Map<String, Object> more) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("planId", Fixtures.PLAN, "allowedScopesMode", "all"));
        body.putAll(more);
        admin().body(body).put("/admin/v1/subscriptions/" + subscription.subscriptionId()).then().statusCode(200);
    }

    @Test
    void theClaimsOfTheApiAndTheSubscriptionAreInTheTokenAndInIntrospection() throws Exception {
        terms(client, Map.of("tokenClaims", Map.of("tier", "platinum", "team", "billing")));
        String token = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertEquals("acme", claims.getStringClaim("tenant"));
        assertEquals("platinum", claims.getStringClaim("tier"), "the subscription's claim wins");
        assertEquals("billing", claims.getStringClaim("team"));
        assertEquals(10L, ((Map<?, ?>) claims.getClaim("limits")).get("rps"));
        assertEquals(client.clientId(), claims.getSubject());

        IssuedCredentials resourceServer = fixtures.subscribe(api);
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", resourceServer.clientId())
                .formParam("client_secret", resourceServer.clientSecret()).formParam("token", token)
                .post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("tenant", equalTo("acme")).body("tier", equalTo("platinum"))
                .body("limits.rps", equalTo(10)).body("sub", equalTo(client.clientId()));
        // the API page shows the API's claims
        given().get("/portal/apis/" + api).then().statusCode(200).body(containsString("tenant: &quot;acme&quot;"));
    }

    @Test
    void theServersOwnNamesAndOversizedClaimsAreRefusedNamingTheField() {
        for (String reserved : List.of("sub", "scope", "cnf", "client_id", "aud", "act", "auth_method", "Sub", "SCOPE", "active",
                "username", "acr")) {
            admin().body(Map.of("planId", Fixtures.PLAN, "allowedScopesMode", "all", "tokenClaims", Map.of(reserved, "x")))
                    .put("/admin/v1/subscriptions/" + client.subscriptionId()).then().statusCode(400).body("field", equalTo("tokenClaims"));
        }
        admin().body(Map.of("id", Fixtures.uniqueId("big"), "requestPath", "/" + Fixtures.uniqueId("big"), "upstreamUrl", "http://127.0.0.1:9/",
                "tokenClaims", Map.of("blob", "x".repeat(5000)))).post("/admin/v1/apis").then().statusCode(400).body("field", equalTo("tokenClaims"));
        // nothing changed: the token is as before
        Response answer = TokenClient.post(api, client.clientId(), client.clientSecret(), "read");
        answer.then().statusCode(200);
    }

    @Test
    void tokensWithTheLargestClaimsAllowedPassTheGatewaysOwnChecks() {
        String big = Fixtures.uniqueId("bigclaims");
        apis.create(ApiDefinition.builder(big).requestPath("/" + big).upstreamUrl("http://127.0.0.1:9/").authMethods(Fixtures.AUTH_METHOD)
                .scopeIds("read").plans(Fixtures.PLAN).tokenClaims(Map.of("a", "x".repeat(4000))).build());
        IssuedCredentials owner = fixtures.subscribe(big);
        terms(owner, Map.of("tokenClaims", Map.of("b", "y".repeat(4000))));
        String token = TokenClient.token(big, owner.clientId(), owner.clientSecret(), "read");
        assertTrue(token.length() > 10_000, "a large token: " + token.length());
        IssuedCredentials resourceServer = fixtures.subscribe(big);
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", resourceServer.clientId())
                .formParam("client_secret", resourceServer.clientSecret()).formParam("token", token)
                .post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + big + "/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("b", equalTo("y".repeat(4000)));
    }

    @Test
    void aSubscriptionMayShortenItsApisLifetimeNeverLengthenIt() throws Exception {
        terms(client, Map.of("tokenLifetimeSeconds", 60));
        Response answer = TokenClient.post(api, client.clientId(), client.clientSecret(), "read");
        answer.then().statusCode(200).body("expires_in", equalTo(60));
        JWTClaimsSet claims = claims(answer);
        assertEquals(60, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        admin().body(Map.of("planId", Fixtures.PLAN, "allowedScopesMode", "all", "tokenLifetimeSeconds", 601))
                .put("/admin/v1/subscriptions/" + client.subscriptionId()).then().statusCode(400).body("field", equalTo("tokenLifetimeSeconds"));
        IssuedCredentials other = fixtures.subscribe(api);
        TokenClient.post(api, other.clientId(), other.clientSecret(), "read").then().statusCode(200).body("expires_in", equalTo(600));
    }

    String quotaPlan(int limit, String mode) {
        String plan = Fixtures.uniqueId("quota");
        admin().body(Map.of("id", plan, "tokenQuota", Map.of("limit", limit, "window", "hour", "mode", mode)))
                .post("/admin/v1/plans").then().statusCode(201).body("tokenQuota.mode", equalTo(mode));
        String quotaApi = Fixtures.uniqueId("quotaapi");
        apis.create(ApiDefinition.builder(quotaApi).requestPath("/" + quotaApi).upstreamUrl("http://127.0.0.1:9/")
                .authMethods(Fixtures.AUTH_METHOD).scopeIds("read").plans(plan).build());
        return quotaApi + " " + plan;
    }

    @Test
    void anEnforcedQuotaRefusesTheTokensOverItWithRateLimitHeaders() {
        String[] apiAndPlan = quotaPlan(2, "enforce").split(" ");
        String quotaApi = apiAndPlan[0];
        IssuedCredentials limited = fixtures.subscribe(quotaApi, io.portcullis.registry.ScopeMode.ALL, List.of(), false,
                io.portcullis.registry.ClientType.CONFIDENTIAL, apiAndPlan[1]);
        TokenClient.post(quotaApi, limited.clientId(), limited.clientSecret(), "read").then().statusCode(200)
                .header("RateLimit-Policy", equalTo("\"tokens\";q=2;w=3600"))
                .header("RateLimit", org.hamcrest.Matchers.startsWith("\"tokens\";r=1;t="));
        TokenClient.post(quotaApi, limited.clientId(), limited.clientSecret(), "read").then().statusCode(200)
                .header("RateLimit", org.hamcrest.Matchers.startsWith("\"tokens\";r=0;t="));
        Response refused = TokenClient.post(quotaApi, limited.clientId(), limited.clientSecret(), "read");
        refused.then().statusCode(429).body("error", equalTo("rate_limited")).header("Cache-Control", equalTo("no-store"))
                .header("RateLimit", org.hamcrest.Matchers.startsWith("\"tokens\";r=0;t="));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 3500 && retryAfter <= 3600, "Retry-After " + retryAfter);
        // an error after authentication still says where the subscription stands; another subscription has its own count
        TokenClient.post(quotaApi, limited.clientId(), limited.clientSecret(), "nosuchscope").then().statusCode(400)
                .header("RateLimit-Policy", equalTo("\"tokens\";q=2;w=3600"));
        IssuedCredentials other = fixtures.subscribe(quotaApi, io.portcullis.registry.ScopeMode.ALL, List.of(), false,
                io.portcullis.registry.ClientType.CONFIDENTIAL, apiAndPlan[1]);
        TokenClient.post(quotaApi, other.clientId(), other.clientSecret(), "read").then().statusCode(200);
        // a subscription without a quota carries no such headers
        TokenClient.post(api, client.clientId(), client.clientSecret(), "read").then().statusCode(200)
                .header("RateLimit-Policy", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aReportedQuotaIssuesTheTokensOverItAndCountsThem() throws Exception {
        String[] apiAndPlan = quotaPlan(1, "report").split(" ");
        String quotaApi = apiAndPlan[0];
        IssuedCredentials reported = fixtures.subscribe(quotaApi, io.portcullis.registry.ScopeMode.ALL, List.of(), false,
                io.portcullis.registry.ClientType.CONFIDENTIAL, apiAndPlan[1]);
        TokenClient.post(quotaApi, reported.clientId(), reported.clientSecret(), "read").then().statusCode(200);
        TokenClient.post(quotaApi, reported.clientId(), reported.clientSecret(), "read").then().statusCode(200)
                .header("RateLimit", org.hamcrest.Matchers.startsWith("\"tokens\";r=0;t="));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_token_quota_exceeded_total{api=\"" + quotaApi + "\",mode=\"report\"} 1.0"));
        auditLog.flush();
        admin().queryParam("kind", "token").queryParam("actor", reported.clientId()).get("/admin/v1/audit").then().statusCode(200)
                .body("items.quotaExceeded", hasItem(true));
    }
}

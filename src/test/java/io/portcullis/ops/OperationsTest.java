package io.portcullis.ops;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.AdminClient;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/contract.md#operation: metrics that move with their events, the audit trail, correlation ids. */
@QuarkusTest
class OperationsTest {
    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    AuditLog audit;

    @Inject
    AgroalDataSource dataSource;

    static double metric(String name, String... tags) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double total = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String tag : tags) {
                    all &= line.contains(tag);
                }
                if (all) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }

    @Test
    void everyMetricMovesWithItsEvent() throws Exception {
        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("ops");
            apis.create(ApiDefinition.builder(api).name("Ops").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of())
                    .plans(List.of(Fixtures.PLAN)).upstreamTimeoutSeconds(1).build());
            IssuedCredentials client = fixtures.subscribe(api);
            String apiTag = "api=\"" + api + "\"";

            double issued = metric("portcullis_tokens_issued_total", apiTag);
            String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            assertEquals(issued + 1, metric("portcullis_tokens_issued_total", apiTag, "auth_method=\"" + Fixtures.AUTH_METHOD + "\""));

            double refused = metric("portcullis_tokens_refused_total", apiTag, "error=\"invalid_client\"");
            TokenClient.post(api, client.clientId(), "wrong", null).then().statusCode(401);
            assertEquals(refused + 1, metric("portcullis_tokens_refused_total", apiTag, "error=\"invalid_client\""));
            // unknown ids never become tag values
            TokenClient.post("no-such-api-" + System.nanoTime(), client.clientId(), "x", null).then().statusCode(404);
            assertFalse(given().get("/q/metrics").asString().contains("no-such-api-"));
            assertTrue(metric("portcullis_token_requests_seconds_count", "outcome=\"granted\"") > 0);

            double ok = metric("portcullis_gateway_requests_seconds_count", apiTag, "status=\"200\"");
            given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
            assertEquals(ok + 1, metric("portcullis_gateway_requests_seconds_count", apiTag, "status=\"200\""));

            double failures = metric("portcullis_gateway_upstream_failures_total", apiTag, "kind=\"timeout\"");
            given().header("Authorization", "Bearer " + token).get("/" + api + "/slow").then().statusCode(504);
            assertEquals(failures + 1, metric("portcullis_gateway_upstream_failures_total", apiTag, "kind=\"timeout\""));

            assertTrue(metric("cache_gets_total", "cache=\"verified-tokens\"", "result=\"hit\"") > 0);
            assertTrue(metric("cache_gets_total", "cache=\"registry-clients\"") > 0);
        }
    }

    @Test
    void tokenRequestsAndAdminChangesAreAuditedWithoutSecrets() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        String token = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        TokenClient.post(api, client.clientId(), client.clientSecret() + "-wrong", "read").then().statusCode(401);
        String app = Fixtures.uniqueId("aud");
        String adminToken = AdminClient.token();
        given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body(Map.of("id", app, "name", "Audited", "clientType", "confidential"))
                .post("/admin/v1/applications").then().statusCode(201);
        String secret = given().header("Authorization", "Bearer " + adminToken).contentType("application/json")
                .body(Map.of("applicationId", app, "apiId", api, "planId", Fixtures.PLAN))
                .post("/admin/v1/subscriptions").then().statusCode(201).extract().path("clientSecret");
        audit.flush();

        var admin = given().header("Authorization", "Bearer " + adminToken);
        admin.get("/admin/v1/audit?kind=token&apiId=" + api).then().statusCode(200)
                .body("items.outcome", hasItem("granted"))
                .body("items.outcome", hasItem("refused"))
                .body("items.find { it.outcome == 'refused' }.error", equalTo("invalid_client"))
                .body("items.find { it.outcome == 'granted' }.scopesGranted", equalTo("read"))
                .body("items.find { it.outcome == 'granted' }.actor", equalTo(client.clientId()))
                .body("items.find { it.outcome == 'granted' }.remoteAddress", equalTo("127.0.0.1"));
        given().header("Authorization", "Bearer " + adminToken).get("/admin/v1/audit?kind=admin&actor=" + AdminClient.CLIENT_ID + "&size=100")
                .then().statusCode(200)
                .body("items.action", hasItem("create application"))
                .body("items.find { it.action == 'create application' && it.target == '" + app + "' }.after", org.hamcrest.Matchers.containsString("Audited"));
        given().header("Authorization", "Bearer " + adminToken).get("/admin/v1/audit?from=yesterday").then().statusCode(400);

        // nothing secret anywhere in the table
        StringBuilder everything = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select audit_event::text from audit_event")) {
            while (rs.next()) {
                everything.append(rs.getString(1)).append('\n');
            }
        }
        String all = everything.toString();
        for (String forbidden : List.of(client.clientSecret(), secret, token, AdminClient.CLIENT_SECRET, adminToken)) {
            assertFalse(all.contains(forbidden), "a secret or token is in the audit table");
        }
        Matcher jwt = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ").matcher(all);
        assertFalse(jwt.find(), "a JWT is in the audit table");
    }

    @Test
    void correlationIdsAreKeptOrMadeAndPassedUpstream() throws Exception {
        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("rid");
            apis.create(ApiDefinition.builder(api).name("Rid").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of())
                    .plans(List.of(Fixtures.PLAN)).build());
            IssuedCredentials client = fixtures.subscribe(api);
            String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            given().header("Authorization", "Bearer " + token).header("X-Request-Id", "trace-123").get("/" + api + "/x").then()
                    .statusCode(200).header("X-Request-Id", "trace-123")
                    .body("headers.x-request-id", equalTo("trace-123"));
            String made = given().header("Authorization", "Bearer " + token).header("X-Request-Id", "bad value\twith tab")
                    .get("/" + api + "/x").then().statusCode(200).extract().header("X-Request-Id");
            assertTrue(made.matches("[0-9a-f-]{36}"), made);
            given().get("/q/health/live").then().statusCode(200).header("X-Request-Id", org.hamcrest.Matchers.notNullValue());
        }
    }

    /** One line per request, written off the request path, with the correlation id and never the query string. */
    @Test
    void everyRequestIsOneAccessLogLineWithoutItsQueryString() throws Exception {
        String id = "access-" + Fixtures.uniqueId("line");
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                String line = record.getMessage();
                if (line != null && line.contains("id=" + id)) {
                    seen.complete(line);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(AccessLog.CATEGORY);
        logger.addHandler(capture);
        try {
            given().header("X-Request-Id", id).get("/auth/jwks?access_token=secret-in-the-query").then().statusCode(200);
            // the writer thread writes it within its batch window; the timeout only stops a broken build hanging
            String line = seen.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(line.matches("GET /auth/jwks 200 [0-9]+\\.[0-9]ms id=" + Pattern.quote(id) + " from=127\\.0\\.0\\.1"), line);
            assertFalse(line.contains("secret-in-the-query"), line);
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void healthChecksTheDatabaseAndTheSigningKey() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("signing-key"))
                .body("checks.name", hasItem("Database connections health check"));
        given().get("/q/health/live").then().statusCode(200);
    }
}

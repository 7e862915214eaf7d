package io.portcullis.admin;

import io.portcullis.registry.IssuedCredentials;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ScopeMode;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.portcullis.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** docs/contract.md#management over real HTTP: every admin operation, its authorization, validation, approval and cascades. */
@QuarkusTest
class AdminApiTest {
    static TestUpstream upstream;

    @Inject
    SigningKeys keys;

    @Inject
    Fixtures fixtures;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    String adminToken;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void token() {
        adminToken = io.portcullis.support.AdminClient.token();
    }

    RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken).contentType("application/json");
    }

    void problem(io.restassured.response.Response response, int status, String field) {
        var then = response.then().log().ifValidationFails().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status)).body("title", notNullValue()).body("detail", notNullValue());
        if (field != null) {
            then.body("field", equalTo(field));
        }
    }

    // ---- authorization ----

    /** A value PostgreSQL cannot hold (a NUL) is a 400 problem: never a 500, and never a 204 that looks like success. */
    @Test
    void anIdTheDatabaseCannotHoldIsAProblemNotASuccess() {
        var response = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + io.portcullis.support.AdminClient.token())
                .get("/admin/v1/apis/a%00b");
        problem(response, 400, null);
    }

    /** The admin client's secret is chosen by a person: stored salted and slow, never as plain SHA-256. */
    @Test
    void theAdminSecretIsStoredWithAPasswordHash() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "select client_secret_hash from subscription where client_id = ?")) {
            q.setString(1, io.portcullis.support.AdminClient.CLIENT_ID);
            try (java.sql.ResultSet r = q.executeQuery()) {
                org.junit.jupiter.api.Assertions.assertTrue(r.next());
                org.junit.jupiter.api.Assertions.assertTrue(r.getString(1).startsWith("pbkdf2-sha256$600000$"), r.getString(1));
            }
        }
        admin().get("/admin/v1/apis").then().statusCode(200);
    }

    @Test
    void everythingNeedsAnAdminToken() {
        given().get("/admin/v1/apis").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"admin\"")).body("error", equalTo("invalid_request"));
        given().header("Authorization", "Bearer garbage").get("/admin/v1/apis").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        // a token of another API
        String api = fixtures.api("read");
        var c = fixtures.subscribe(api);
        given().header("Authorization", "Bearer " + TokenClient.token(api, c.clientId(), c.clientSecret(), null))
                .get("/admin/v1/apis").then().statusCode(401).body("error_description", equalTo("The access token is not for this API"));
        // an expired admin token (signed with our key, so only its age is wrong)
        String adminClientSub = given().header("Authorization", "Bearer " + adminToken).get("/admin/v1/subscriptions?applicationId=portcullis-admin")
                .then().statusCode(200).extract().path("items[0].id");
        var adminCredentials = new IssuedCredentials(java.util.UUID.fromString(adminClientSub), true,
                io.portcullis.support.AdminClient.CLIENT_ID, null);
        long now = java.time.Instant.now().getEpochSecond();
        String expired = Tokens.sign(keys, Tokens.claims("admin", adminCredentials).claim("scope", "admin")
                .claim("auth_method", "default").issuer("http://localhost:8081/auth/default/api/admin")
                .issuedAt(now - 7200).expiresAt(now - 3600));
        given().header("Authorization", "Bearer " + expired).get("/admin/v1/apis").then().statusCode(401)
                .body("error_description", equalTo("The access token has expired"));
    }

    /** Every operation of every admin resource, without a token: 401, before anything else is looked at. */
    @Test
    void everyAdminOperationNeedsAToken() {
        for (String resource : List.of("auth-methods", "plans", "apis", "applications", "subscriptions", "keys", "audit")) {
            given().get("/admin/v1/" + resource).then().statusCode(401).header("WWW-Authenticate", containsString("Bearer realm=\"admin\""));
        }
        String someId = "00000000-0000-0000-0000-000000000000";
        for (String resource : List.of("auth-methods", "plans", "apis", "applications", "subscriptions")) {
            given().get("/admin/v1/" + resource + "/" + someId).then().statusCode(401);
            given().contentType("application/json").body("{}").post("/admin/v1/" + resource).then().statusCode(401);
            given().contentType("application/json").body("{}").put("/admin/v1/" + resource + "/" + someId).then().statusCode(401);
            given().delete("/admin/v1/" + resource + "/" + someId).then().statusCode(401);
        }
        for (String action : List.of("approve", "rotate-secret")) {
            given().contentType("application/json").body("{}").post("/admin/v1/subscriptions/" + someId + "/" + action).then().statusCode(401);
        }
        given().contentType("application/json").body("{}").put("/admin/v1/subscriptions/" + someId + "/keys").then().statusCode(401);
        given().post("/admin/v1/keys/rotate").then().statusCode(401);
    }

    /**
     * No spelling of an admin path gets past the token check: one that the server normalises to an
     * admin path needs the token (401); one it refuses as a path at all is 400 or 404 without reaching
     * any resource, and then it must not be an admin answer either.
     */
    @Test
    void noSpellingOfTheAdminPathGetsPastTheTokenCheck() throws Exception {
        for (String path : List.of("//admin/v1/apis", "/%61dmin/v1/apis", "/./admin/v1/apis", "/auth/jwks/../../admin/v1/apis",
                "/admin/v1/../v1/apis", "/admin//v1/apis")) {
            var connection = (java.net.HttpURLConnection) java.net.URI.create("http://localhost:8081" + path).toURL().openConnection();
            int status = connection.getResponseCode();
            org.junit.jupiter.api.Assertions.assertTrue(status == 401 || status == 404 || status == 400,
                    path + " answered " + status + " without a token");
            if (status != 401) {
                String type = connection.getContentType();
                org.junit.jupiter.api.Assertions.assertTrue(type == null || !type.contains("json") || status == 400,
                        path + " answered " + status + " " + type + ": an admin resource answered without a token");
            }
        }
    }

    @Test
    void aTokenWithoutTheAdminScopeIs403() {
        String app = Fixtures.uniqueId("app");
        admin().body(Map.of("id", app, "name", "Nosy", "clientType", "confidential")).post("/admin/v1/applications").then().statusCode(201);
        String secret = admin().body(Map.of("applicationId", app, "apiId", "admin", "planId", "admin", "allowedScopesMode", "none"))
                .post("/admin/v1/subscriptions").then().statusCode(201).extract().path("clientSecret");
        String clientId = admin().get("/admin/v1/subscriptions?applicationId=" + app).then().extract().path("items[0].clientId");
        String token = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret).formParam("scope", "admin")
                .post("/auth/default/api/admin/token").then().statusCode(200).body("scope", equalTo("")).extract().path("access_token");
        given().header("Authorization", "Bearer " + token).get("/admin/v1/apis").then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"admin\""));
    }

    // ---- CRUD ----

    @Test
    void authMethodsCrud() {
        String id = Fixtures.uniqueId("am");
        admin().body(Map.of("id", id, "friendlyName", "Partners", "enabled", true)).post("/admin/v1/auth-methods").then()
                .statusCode(201).header("Location", containsString("/admin/v1/auth-methods/" + id)).body("friendlyName", equalTo("Partners"));
        admin().get("/admin/v1/auth-methods/" + id).then().statusCode(200).body("enabled", equalTo(true));
        admin().get("/admin/v1/auth-methods?size=500").then().statusCode(200).body("items.id", hasItem(id)).body("total", notNullValue());
        admin().body(Map.of("friendlyName", "Partners v2", "enabled", false)).put("/admin/v1/auth-methods/" + id).then()
                .statusCode(200).body("friendlyName", equalTo("Partners v2")).body("enabled", equalTo(false));
        problem(admin().body(Map.of("id", id, "friendlyName", "again")).post("/admin/v1/auth-methods"), 409, "id");
        problem(admin().body(Map.of("id", "Bad Id")).post("/admin/v1/auth-methods"), 400, "id");
        admin().delete("/admin/v1/auth-methods/" + id).then().statusCode(204);
        problem(admin().get("/admin/v1/auth-methods/" + id), 404, null);
        // default is accepted by APIs: it cannot go
        problem(admin().delete("/admin/v1/auth-methods/default"), 409, "id");
    }

    @Test
    void plansCrud() {
        String id = Fixtures.uniqueId("plan");
        admin().body(Map.of("id", id, "name", "Gold", "needsApproval", true, "rateLimitPerMinute", 100)).post("/admin/v1/plans").then()
                .statusCode(201).body("needsApproval", equalTo(true)).body("rateLimitPerMinute", equalTo(100));
        admin().body(Map.of("name", "Gold", "needsApproval", false)).put("/admin/v1/plans/" + id).then()
                .statusCode(200).body("needsApproval", equalTo(false)).body("rateLimitPerMinute", nullValue());
        problem(admin().body(Map.of("id", Fixtures.uniqueId("p"), "rateLimitPerMinute", 0)).post("/admin/v1/plans"), 400, "rateLimitPerMinute");
        admin().get("/admin/v1/plans?page=0&size=1").then().statusCode(200).body("items.size()", equalTo(1)).body("size", equalTo(1));
        problem(admin().get("/admin/v1/plans?size=0"), 400, "size");
        admin().delete("/admin/v1/plans/" + id).then().statusCode(204);
    }

    Map<String, Object> apiBody(String id, String path) {
        return Map.of("id", id, "name", "Pets", "description", "All the pets", "requestPath", path, "upstreamUrl", upstream.url("/v2"),
                "authMethods", List.of(Fixtures.AUTH_METHOD), "plans", List.of(Fixtures.PLAN, Fixtures.PLAN + "-approval"),
                "scopes", List.of(Map.of("id", "read", "description", "Read pets"), Map.of("id", "write", "description", "Write pets")),
                "routes", List.of(Map.of("pathPrefix", "/", "methods", List.of("POST"), "scopes", List.of("write"))));
    }

    @Test
    void apisCrudWithScopesAndRoutes() {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("pets");
        admin().body(apiBody(id, "/" + id)).post("/admin/v1/apis").then().statusCode(201)
                .body("scopes.id", org.hamcrest.Matchers.contains("read", "write"))
                .body("routes[0].scopes", org.hamcrest.Matchers.contains("write"))
                .body("tokenLifetimeSeconds", equalTo(3600)).body("upstreamTimeoutSeconds", equalTo(60));
        var changed = new java.util.HashMap<>(apiBody(id, "/" + id));
        changed.put("scopes", List.of(Map.of("id", "read", "description", "Read pets"), Map.of("id", "write", "description", "Write"),
                Map.of("id", "admin", "description", "Everything")));
        changed.put("tokenLifetimeSeconds", 600);
        admin().body(changed).put("/admin/v1/apis/" + id).then().statusCode(200)
                .body("scopes.id", org.hamcrest.Matchers.contains("read", "write", "admin")).body("tokenLifetimeSeconds", equalTo(600));
        // validation, each naming its field
        // no requestPath may shadow Portcullis's own paths (docs/contract.md#gateway), all five of them, nor lie beneath one
        for (String reserved : List.of("/auth", "/admin", "/portal", "/q", "/.well-known")) {
            problem(admin().body(apiBody(Fixtures.uniqueId("x"), reserved)).post("/admin/v1/apis"), 400, "requestPath");
            problem(admin().body(apiBody(Fixtures.uniqueId("x"), reserved + "/x")).post("/admin/v1/apis"), 400, "requestPath");
        }
        // ids: API and auth method [a-z0-9_-]{1,64}, application [a-z0-9_-]{4,50}
        for (String bad : List.of("Upper", "has space", "dot.ted", "x".repeat(65), "")) {
            problem(admin().body(apiBody(bad, "/" + Fixtures.uniqueId("p"))).post("/admin/v1/apis"), 400, "id");
            problem(admin().body(Map.of("id", bad, "name", "P")).post("/admin/v1/plans"), 400, "id");
        }
        problem(admin().body(Map.of("id", "abc", "clientType", "confidential")).post("/admin/v1/applications"), 400, "id");
        problem(admin().body(Map.of("id", "a".repeat(51), "clientType", "confidential")).post("/admin/v1/applications"), 400, "id");
        admin().body(Map.of("id", "x".repeat(64) .substring(0, 63) + "_", "name", "P")).post("/admin/v1/plans").then().statusCode(201);
        problem(admin().body(apiBody(Fixtures.uniqueId("x"), "/" + id + "/sub")).post("/admin/v1/apis"), 409, "requestPath");
        var badScope = new java.util.HashMap<>(apiBody(Fixtures.uniqueId("x"), "/" + Fixtures.uniqueId("p")));
        badScope.put("scopes", List.of(Map.of("id", "has space")));
        problem(admin().body(badScope).post("/admin/v1/apis"), 400, "scopes");
        var badUpstream = new java.util.HashMap<>(apiBody(Fixtures.uniqueId("x"), "/" + Fixtures.uniqueId("p")));
        badUpstream.put("upstreamUrl", "ftp://nope");
        problem(admin().body(badUpstream).post("/admin/v1/apis"), 400, "upstreamUrl");
        // URLs with no host the gateway could connect to (it once proxied these to localhost:80), or with credentials
        for (String url : List.of("http://orders_svc:8080", "http://a{b}/", "http://user:pw@pets/")) {
            badUpstream.put("upstreamUrl", url);
            problem(admin().body(badUpstream).post("/admin/v1/apis"), 400, "upstreamUrl");
        }
        var unknownField = new java.util.HashMap<>(apiBody(Fixtures.uniqueId("x"), "/" + Fixtures.uniqueId("p")));
        unknownField.put("colour", "blue");
        problem(admin().body(unknownField).post("/admin/v1/apis"), 400, "colour");
        problem(admin().body("{not json").post("/admin/v1/apis"), 400, null);
        problem(admin().body(Map.of("id", id, "name", "x", "requestPath", "/" + id, "upstreamUrl", "http://u", "tokenLifetimeSeconds", "soon"))
                .put("/admin/v1/apis/" + id), 400, "tokenLifetimeSeconds");
        problem(admin().get("/admin/v1/apis/no-such-api"), 404, null);
        admin().delete("/admin/v1/apis/" + id).then().statusCode(204);
        problem(admin().delete("/admin/v1/apis/admin"), 409, "id");
    }

    @Test
    void approvalFlowEndToEnd() {
        fixtures.ensureBasics();
        String api = Fixtures.uniqueId("pets");
        admin().body(apiBody(api, "/" + api)).post("/admin/v1/apis").then().statusCode(201);
        String app = Fixtures.uniqueId("app");
        admin().body(Map.of("id", app, "name", "Pet shop", "clientType", "confidential")).post("/admin/v1/applications").then().statusCode(201);

        // pending: no credentials
        var pending = admin().body(Map.of("applicationId", app, "apiId", api, "planId", Fixtures.PLAN + "-approval",
                        "allowedScopesMode", "select", "allowedScopes", List.of("read")))
                .post("/admin/v1/subscriptions").then().statusCode(201).header("Cache-Control", "no-store")
                .body("approved", equalTo(false)).body("$", not(hasKey("clientSecret"))).body("clientId", nullValue())
                .extract().jsonPath();
        String id = pending.getString("id");
        problem(admin().body(Map.of("applicationId", app, "apiId", api, "planId", Fixtures.PLAN)).post("/admin/v1/subscriptions"), 409, "apiId");

        // approve: the secret, once
        var approved = admin().post("/admin/v1/subscriptions/" + id + "/approve").then().statusCode(200)
                .body("approved", equalTo(true)).body("clientSecret", notNullValue()).extract().jsonPath();
        admin().get("/admin/v1/subscriptions/" + id).then().statusCode(200).body("$", not(hasKey("clientSecret")));
        problem(admin().post("/admin/v1/subscriptions/" + id + "/approve"), 409, "approved");

        // token, call
        String token = TokenClient.token(api, approved.getString("clientId"), approved.getString("clientSecret"), "read write");
        given().header("Authorization", "Bearer " + token).get("/" + api + "/dogs").then().statusCode(200)
                .body("uri", equalTo("/v2/dogs"));
        // select mode: write was dropped, so the route that needs it refuses
        given().header("Authorization", "Bearer " + token).post("/" + api + "/dogs").then().statusCode(403);

        // a replacement that leaves out the scope mode would widen access: refused, naming the field, and nothing changes
        problem(admin().body(Map.of("planId", Fixtures.PLAN + "-approval")).put("/admin/v1/subscriptions/" + id), 400, "allowedScopesMode");
        admin().get("/admin/v1/subscriptions/" + id).then().statusCode(200).body("allowedScopesMode", equalTo("select"));

        // change the terms: allow write
        admin().body(Map.of("planId", Fixtures.PLAN + "-approval", "allowedScopesMode", "all")).put("/admin/v1/subscriptions/" + id).then()
                .statusCode(200).body("allowedScopesMode", equalTo("all"));
        String writer = TokenClient.token(api, approved.getString("clientId"), approved.getString("clientSecret"), "write");
        given().header("Authorization", "Bearer " + writer).post("/" + api + "/dogs").then().statusCode(200);

        // a grace period is bounded: at most 30 days, never negative
        problem(admin().body(Map.of("gracePeriodSeconds", 30 * 86400 + 1)).post("/admin/v1/subscriptions/" + id + "/rotate-secret"), 400,
                "gracePeriodSeconds");
        problem(admin().body(Map.of("gracePeriodSeconds", -1)).post("/admin/v1/subscriptions/" + id + "/rotate-secret"), 400,
                "gracePeriodSeconds");

        // secret rotation through the admin API
        String rotated = admin().body(Map.of("gracePeriodSeconds", 0)).post("/admin/v1/subscriptions/" + id + "/rotate-secret").then()
                .statusCode(200).body("clientSecret", notNullValue()).extract().path("clientSecret");
        TokenClient.post(api, approved.getString("clientId"), approved.getString("clientSecret"), null).then().statusCode(401);
        TokenClient.post(api, approved.getString("clientId"), rotated, null).then().statusCode(200);

        // cascade: deleting the application stops its tokens at the gateway
        admin().delete("/admin/v1/applications/" + app).then().statusCode(204);
        problem(admin().get("/admin/v1/subscriptions/" + id), 404, null);
        given().header("Authorization", "Bearer " + writer).get("/" + api + "/dogs").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void deprecatedApiTakesNoNewSubscriptionsAndClientTypesAreChecked() {
        fixtures.ensureBasics();
        String api = Fixtures.uniqueId("old");
        var body = new java.util.HashMap<>(apiBody(api, "/" + api));
        body.put("deprecated", true);
        admin().body(body).post("/admin/v1/apis").then().statusCode(201);
        String app = Fixtures.uniqueId("app");
        admin().body(Map.of("id", app, "clientType", "confidential")).post("/admin/v1/applications").then().statusCode(201);
        problem(admin().body(Map.of("applicationId", app, "apiId", api, "planId", Fixtures.PLAN)).post("/admin/v1/subscriptions"), 409, "apiId");
        problem(admin().body(Map.of("id", Fixtures.uniqueId("app"), "clientType", "trusted_spa")).post("/admin/v1/applications"), 400, "clientType");
        admin().body(Map.of("name", "Renamed", "clientType", "confidential")).put("/admin/v1/applications/" + app).then()
                .statusCode(200).body("name", equalTo("Renamed"));
        admin().get("/admin/v1/applications?size=500").then().statusCode(200).body("items.id", hasItem(app));
    }

    @Test
    void keysCanBeListedAndRotated() throws Exception {
        admin().get("/admin/v1/keys").then().statusCode(200)
                .body("status", hasItem("active")).body("status", hasItem("next"))
                .body("[0]", not(hasKey("privateKeyEncrypted")));
        // the next key must have been published for portcullis.keys.publish-ahead (2 min): say it
        // was published an hour ago instead of waiting for the clock
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update signing_key set created_at = created_at - interval '1 hour' where status = 'next'");
        }
        String kid = admin().post("/admin/v1/keys/rotate").then().statusCode(200).extract().path("activeKid");
        admin().get("/admin/v1/keys").then().body("find { it.status == 'active' }.kid", equalTo(kid));
        problem(admin().post("/admin/v1/keys/rotate"), 409, null);
    }

    @Test
    void openApiDocumentsTheAdminApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/admin/v1/apis"))
                .body("paths", hasKey("/admin/v1/subscriptions/{id}/approve"))
                .body("components.securitySchemes", hasKey("admin"));
    }

    @Test
    void privateKeyJwtKeysThroughTheAdminApi() throws Exception {
        String api = fixtures.api("read");
        var c = fixtures.subscribe(api, ScopeMode.ALL, List.of(), false);
        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
        admin().body("{\"jwks\":" + new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()) + "}").put("/admin/v1/subscriptions/" + c.subscriptionId() + "/keys")
                .then().statusCode(200).body("hasJwks", equalTo(true));
        problem(admin().body("{\"jwks\":" + new com.nimbusds.jose.jwk.JWKSet(key).toString(false) + "}")
                .put("/admin/v1/subscriptions/" + c.subscriptionId() + "/keys"), 400, "jwks");
    }
}

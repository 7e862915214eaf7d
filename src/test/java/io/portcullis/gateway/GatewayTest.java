package io.portcullis.gateway;

import io.portcullis.registry.ApiService;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.SubscriptionService;
import io.agroal.api.AgroalDataSource;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.ScopeMode;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/contract.md#gateway through the gateway, against a real upstream HTTP server started here. */
@QuarkusTest
class GatewayTest {
    static TestUpstream upstream;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    PlanService plans;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SigningKeys keys;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.portcullis.registry.Registry registry;

    @Inject
    io.quarkus.scheduler.Scheduler scheduler;

    String api;
    IssuedCredentials client;
    String token;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    String createApi(String upstreamUrl, boolean hideCredentials, Integer timeout, List<String> plans) {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("gw");
        apis.create(ApiDefinition.builder(id).name("Gateway " + id).requestPath("/" + id).upstreamUrl(upstreamUrl)
                .hideCredentials(hideCredentials).authMethods(List.of(Fixtures.AUTH_METHOD))
                .scopes(List.of(new ApiDefinition.Scope("read", "Read"), new ApiDefinition.Scope("write", "Write")))
                .routes(List.of(new ApiDefinition.Route("/admin", List.of(), List.of("read", "write")),
                        new ApiDefinition.Route("/", List.of("POST", "PUT", "PATCH", "DELETE"), List.of("write")))).plans(plans).upstreamTimeoutSeconds(timeout).build());
        return id;
    }

    @BeforeEach
    void setUp() {
        api = createApi(upstream.url("/base"), false, 2, List.of(Fixtures.PLAN));
        client = fixtures.subscribe(api);
        token = TokenClient.token(api, client.clientId(), client.clientSecret(), "read write");
    }

    JsonPath call(String method, String path) {
        return given().header("Authorization", "Bearer " + token).request(method, path)
                .then().statusCode(200).extract().jsonPath();
    }

    // ---- routing ----

    @Test
    void pathAndQueryAreMappedOntoTheUpstreamPath() {
        assertEquals("/base/pets/1?x=1&y=a%20b", given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token)
                .get("/" + api + "/pets/1?x=1&y=a%20b").then().statusCode(200).extract().jsonPath().getString("uri"));
        assertEquals("/base", call("GET", "/" + api).getString("uri"));
        assertEquals("/base/", call("GET", "/" + api + "/").getString("uri"));
        // a path that merely starts with the same letters is not the API's
        given().header("Authorization", "Bearer " + token).get("/" + api + "x/pets").then().statusCode(404);
    }

    @Test
    void everyMethodIsForwardedWithItsBody() {
        for (String method : List.of("GET", "DELETE", "OPTIONS")) {
            assertEquals(method, call(method, "/" + api + "/things").getString("method"));
        }
        for (String method : List.of("POST", "PUT", "PATCH")) {
            JsonPath echoed = given().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body("{\"hello\":\"world\"}").request(method, "/" + api + "/things")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(method, echoed.getString("method"));
            assertEquals(17, echoed.getInt("bodyBytes"));
        }
        given().header("Authorization", "Bearer " + token).head("/" + api + "/things").then()
                .statusCode(200).header("X-Upstream", "yes");
    }

    // ---- headers ----

    @Test
    void upstreamGetsTheGatewaysHeadersNotTheCallers() {
        JsonPath echoed = given().header("Authorization", "Bearer " + token)
                .header("X-Consumer-Custom-ID", "forged").header("X-Consumer-Username", "evil$api")
                .header("X-Authenticated-Scope", "admin").header("X-Authenticated-Client-Id", "someone")
                .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "gopher").header("Forwarded", "for=6.6.6.6")
                .header("Connection", "X-Private").header("X-Private", "hop").header("X-Kept", "yes")
                .get("/" + api + "/h").then().statusCode(200)
                // hop-by-hop headers of the upstream's response stop at the gateway
                .header("X-Hop", nullValue())
                .header("X-Upstream", "yes")
                .extract().jsonPath();
        var h = echoed.getMap("headers");
        assertEquals(client.subscriptionId().toString(), h.get("x-consumer-custom-id"));
        assertTrue(((String) h.get("x-consumer-username")).endsWith("$" + api), String.valueOf(h.get("x-consumer-username")));
        assertEquals("read write", h.get("x-authenticated-scope"));
        assertEquals(client.clientId(), h.get("x-authenticated-client-id"));
        assertEquals("127.0.0.1", h.get("x-forwarded-for"));
        assertEquals("http", h.get("x-forwarded-proto"));
        assertEquals("localhost:8081", h.get("x-forwarded-host"));
        assertEquals("Bearer " + token, h.get("authorization"), "credentials pass unless the API hides them");
        assertEquals("yes", h.get("x-kept"));
        assertTrue(!h.containsKey("forwarded") && !h.containsKey("x-private"), h.toString());
        assertEquals("127.0.0.1:" + upstream.port(), h.get("host"));
    }

    /** X-Forwarded-Proto and -Host come from the public URL; identity, routing and method-override headers never reach the upstream. */
    @Test
    void theCallerCannotChooseWhatTheUpstreamTrusts() {
        var h = given().header("Authorization", "Bearer " + token).header("Host", "evil.example:9999")
                .header("X-Real-IP", "6.6.6.6").header("True-Client-IP", "6.6.6.6").header("X-Client-IP", "6.6.6.6")
                .header("X-Forwarded-Server", "evil").header("X-Original-URL", "/admin").header("X-Rewrite-URL", "/admin")
                .header("Client-Cert", ":AAAA:").header("Client-Cert-Chain", ":AAAA:")
                .header("X-HTTP-Method-Override", "DELETE").header("X-HTTP-Method", "DELETE").header("X-Method-Override", "DELETE")
                .header("X-Consumer-ID", "forged").header("X-Consumer-Groups", "admins").header("X-Authenticated-Userid", "root")
                .header("X-Credential-Identifier", "forged").header("X-Anonymous-Consumer", "false").header("X-Forwarded-User", "root")
                .header("X-Forwarded-Email", "root@example.com")
                .get("/" + api + "/h").then().statusCode(200).extract().jsonPath().getMap("headers");
        assertEquals("http", h.get("x-forwarded-proto"));
        assertEquals("localhost:8081", h.get("x-forwarded-host"));
        for (String name : List.of("x-real-ip", "true-client-ip", "x-client-ip", "x-forwarded-server", "x-original-url", "x-rewrite-url",
                "client-cert", "client-cert-chain", "x-http-method-override", "x-http-method", "x-method-override",
                "x-consumer-id", "x-consumer-groups", "x-authenticated-userid", "x-credential-identifier", "x-anonymous-consumer",
                "x-forwarded-user", "x-forwarded-email")) {
            assertTrue(!h.containsKey(name), name + " reached the upstream: " + h);
        }
    }

    @Test
    void underscoreSpellingsOfTheGatewayHeadersAreDropped() {
        var h = given().header("Authorization", "Bearer " + token).header("X_Consumer_Username", "evil$api")
                .header("X_Authenticated_Scope", "admin").header("x_forwarded_for", "6.6.6.6")
                .get("/" + api + "/h").then().statusCode(200).extract().jsonPath().getMap("headers");
        assertTrue(!h.containsKey("x_consumer_username") && !h.containsKey("x_authenticated_scope") && !h.containsKey("x_forwarded_for"),
                h.toString());
    }

    @Test
    void pathsThatMeanSomethingElseUpstreamAreRefused() {
        for (String path : List.of("/admin;x/users", "/admin%2Fusers", "/..%2F..%2Fother", "/a%5Cb")) {
            given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).get("/" + api + path).then()
                    .statusCode(400).body("error", equalTo("invalid_request"));
        }
        // encoded dot segments are resolved first: this one leaves the API altogether, so it is no API's request
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).get("/" + api + "/%2e%2e/other").then()
                .statusCode(404);
    }

    @Test
    void scopeHeaderIsAbsentWithoutScopesAndCredentialsCanBeHidden() {
        String hidden = createApi(upstream.url("/"), true, null, List.of(Fixtures.PLAN));
        IssuedCredentials c = fixtures.subscribe(hidden);
        String noScope = TokenClient.token(hidden, c.clientId(), c.clientSecret(), null);
        var h = given().header("Authorization", "Bearer " + noScope).get("/" + hidden + "/x").then()
                .statusCode(200).extract().jsonPath().getMap("headers");
        assertTrue(!h.containsKey("authorization"), "hideCredentials removes Authorization");
        assertTrue(!h.containsKey("x-authenticated-scope"), "no scope, no scope header");
    }

    // ---- 401 and 403, with their exact challenges ----

    String metadata(String apiId) {
        return "resource_metadata=\"http://localhost:8081/.well-known/oauth-protected-resource/" + apiId + "\"";
    }

    void refused(String authorization, String path, String description) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.get(path).then()
                .statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"" + api + "\", error=\"invalid_token\", error_description=\""
                        + description + "\", " + metadata(api)))
                .body("error", equalTo("invalid_token"))
                .body("error_description", equalTo(description));
    }

    @Test
    void missingToken() {
        given().get("/" + api + "/x").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"" + api + "\", " + metadata(api)))
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("The access token is missing"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/" + api + "/x").then().statusCode(401)
                .body("error_description", equalTo("The access token is missing"));
    }

    JwtClaimsBuilder claims(String aud) {
        return io.portcullis.support.Tokens.claims(aud, client);
    }

    String sign(JwtClaimsBuilder claims) {
        return io.portcullis.support.Tokens.sign(keys, claims);
    }

    @Test
    void invalidTokens() throws Exception {
        String[] parts = token.split("\\.");
        refused("Bearer " + parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse(), "/" + api + "/x", "The access token is invalid");
        refused("Bearer not.a.jwt", "/" + api + "/x", "The access token is invalid");
        refused("Bearer " + token + " extra", "/" + api + "/x", "The access token is malformed");
        // other spellings of a good token, which jose4j's lenient decoder reads as the same bytes (RFC 7515
        // section 2: no padding, no character outside the URL-safe alphabet)
        refused("Bearer " + parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "~" + parts[2].substring(10), "/" + api + "/x",
                "The access token is malformed");
        refused("Bearer " + token + "==", "/" + api + "/x", "The access token is malformed");

        long now = Instant.now().getEpochSecond();
        refused("Bearer " + sign(claims(api).issuedAt(now - 7200).expiresAt(now - 3600)), "/" + api + "/x", "The access token has expired");
        refused("Bearer " + sign(claims(api).claim("nbf", now + 3600)), "/" + api + "/x", "The access token is invalid");
        // typ JWT, where the API issues at+jwt (an ID token, say), and a typ that is no access token's
        SigningKeys.ActiveKey key = keys.current();
        refused("Bearer " + claims(api).jws().keyId(key.kid()).algorithm(key.algorithm()).sign(key.privateKey()),
                "/" + api + "/x", "The token is not an access token of this API");
        refused("Bearer " + claims(api).jws().keyId(key.kid()).algorithm(key.algorithm()).type("dpop+jwt").sign(key.privateKey()),
                "/" + api + "/x", "The token is not an access token");
        // a kid that points nowhere, signed by a key we never published
        var stranger = java.security.KeyPairGenerator.getInstance("RSA");
        stranger.initialize(2048);
        refused("Bearer " + claims(api).jws().keyId("no-such-kid").algorithm(SignatureAlgorithm.RS256).type("at+jwt")
                .sign(stranger.generateKeyPair().getPrivate()), "/" + api + "/x", "The access token is invalid");
        // alg none, and HS256 keyed with the public key (algorithm confusion)
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\"}").getBytes());
        refused("Bearer " + header + "." + parts[1] + ".", "/" + api + "/x", "The access token is invalid");
        javax.crypto.SecretKey hmac = new javax.crypto.spec.SecretKeySpec(keys.verificationKey(key.kid()).getEncoded(), "HmacSHA256");
        refused("Bearer " + claims(api).jws().keyId(key.kid()).algorithm(SignatureAlgorithm.HS256).type("at+jwt").sign(hmac),
                "/" + api + "/x", "The access token is invalid");
    }

    @Test
    void tokenOfAnotherApiOrIssuer() {
        String other = createApi(upstream.url("/"), false, null, List.of(Fixtures.PLAN));
        IssuedCredentials c = fixtures.subscribe(other);
        refused("Bearer " + TokenClient.token(other, c.clientId(), c.clientSecret(), null), "/" + api + "/x",
                "The access token is not for this API");
        refused("Bearer " + sign(claims(api).issuer("https://elsewhere.example/auth/x/api/" + api)), "/" + api + "/x",
                "The access token is not for this API");
    }

    @Test
    void deletedOrUnapprovedSubscription() {
        subscriptions.revokeApproval(client.subscriptionId());
        refused("Bearer " + token, "/" + api + "/x", "The subscription of this access token is not approved");
        subscriptions.delete(client.subscriptionId());
        refused("Bearer " + token, "/" + api + "/x", "The subscription of this access token no longer exists");
    }

    @Test
    void subscriptionChangedInTheDatabaseIsSeenAtTheNextPoll() throws Exception {
        call("GET", "/" + api + "/warm");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // another replica's change: straight into the table, not through this instance
            s.executeUpdate("update subscription set approved = false where id = '" + client.subscriptionId() + "'");
        }
        // the scheduler's turn, taken now rather than waited for (waiting would race the clock)
        registry.poll();
        refused("Bearer " + token, "/" + api + "/x", "The subscription of this access token is not approved");
        assertTrue(scheduler.getScheduledJobs().stream().anyMatch(t -> t.getMethodDescription().contains("Registry#poll")),
                "the poll is scheduled");
    }

    @Test
    void routeThatNeedsAScopeTheTokenLacks() {
        String readOnly = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        given().header("Authorization", "Bearer " + readOnly).post("/" + api + "/things").then()
                .statusCode(403)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"" + api + "\", error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks a scope this request needs\", scope=\"write\""))
                .body("error", equalTo("insufficient_scope"))
                .body("scope", equalTo("write"));
        given().header("Authorization", "Bearer " + readOnly).get("/" + api + "/admin/users").then()
                .statusCode(403).header("WWW-Authenticate", containsString("scope=\"read write\""));
        given().header("Authorization", "Bearer " + readOnly).get("/" + api + "/things").then().statusCode(200);
    }

    // ---- upstream failures, rate limits ----

    @Test
    void refusedUpstreamIs502AndResetIs502() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String dead = createApi("http://127.0.0.1:" + closedPort, false, null, List.of(Fixtures.PLAN));
        IssuedCredentials c = fixtures.subscribe(dead);
        String t = TokenClient.token(dead, c.clientId(), c.clientSecret(), null);
        given().header("Authorization", "Bearer " + t).get("/" + dead + "/x").then()
                .statusCode(502).contentType("application/json").body("error", equalTo("bad_gateway"));
        given().header("Authorization", "Bearer " + token).get("/" + api + "/reset").then()
                .statusCode(502).contentType("application/json");
    }

    @Test
    void anUpstreamNamedByItsHostNameIsReached() {
        // a name, not a literal: looked up off the event loop (UpstreamNameResolver)
        String named = createApi(upstream.url("/base").replace("127.0.0.1", "localhost"), false, 2, List.of(Fixtures.PLAN));
        IssuedCredentials c = fixtures.subscribe(named);
        String t = TokenClient.token(named, c.clientId(), c.clientSecret(), null);
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + t).get("/" + named + "/items?q=1").then()
                .statusCode(200).body("uri", equalTo("/base/items?q=1"));
    }

    @Test
    void aTlsUpstreamThatNeverAnswersItsHandshakeIs504() throws Exception {
        // the kernel accepts the connection into the backlog; nothing ever answers the ClientHello
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String mute = createApi("https://127.0.0.1:" + silent.getLocalPort(), false, 1, List.of(Fixtures.PLAN));
            IssuedCredentials c = fixtures.subscribe(mute);
            String t = TokenClient.token(mute, c.clientId(), c.clientSecret(), null);
            given().header("Authorization", "Bearer " + t).get("/" + mute + "/x").then()
                    .statusCode(504).contentType("application/json").body("error", equalTo("gateway_timeout"));
        }
    }

    @Test
    void slowUpstreamIs504AfterTheApisTimeout() {
        // the upstream answers after 3 s, so a 504 is the API's 2 s timeout; it cannot have come sooner
        long start = System.nanoTime();
        given().header("Authorization", "Bearer " + token).get("/" + api + "/slow").then()
                .statusCode(504).contentType("application/json").body("error", equalTo("gateway_timeout"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1900, "answered after " + millis + " ms with a 2 s timeout");
    }

    @Test
    void overThePlansRateLimitIs429WithRetryAfter() {
        String planId = Fixtures.uniqueId("limited");
        plans.create(new PlanDefinition(planId, "Three a minute", null, false, 3, null));
        String limited = createApi(upstream.url("/"), false, null, List.of(planId));
        IssuedCredentials c = fixtures.subscribe(limited, ScopeMode.ALL, List.of(), false,
                io.portcullis.registry.ClientType.CONFIDENTIAL, planId);
        String t = TokenClient.token(limited, c.clientId(), c.clientSecret(), null);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + t).get("/" + limited + "/x").then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + t).get("/" + limited + "/x").then()
                .statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]?"))
                .body("error", equalTo("rate_limited"));
        // the limit is per subscription: another one is not affected
        IssuedCredentials other = fixtures.subscribe(limited, ScopeMode.ALL, List.of(), false,
                io.portcullis.registry.ClientType.CONFIDENTIAL, planId);
        given().header("Authorization", "Bearer " + TokenClient.token(limited, other.clientId(), other.clientSecret(), null))
                .get("/" + limited + "/x").then().statusCode(200);
    }

    // ---- RFC 9728 ----

    @Test
    void protectedResourceMetadata() {
        given().get("/.well-known/oauth-protected-resource/" + api).then()
                .statusCode(200)
                .body("resource", equalTo("http://localhost:8081/" + api))
                .body("authorization_servers[0]", equalTo("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api))
                .body("scopes_supported", org.hamcrest.Matchers.contains("read", "write"))
                .body("bearer_methods_supported", org.hamcrest.Matchers.contains("header"));
        given().get("/.well-known/oauth-protected-resource/no-such-api").then().statusCode(404);
        // the resource identifier is what RFC 8707's resource parameter names
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .formParam("resource", "http://localhost:8081/" + api)
                .post(Fixtures.tokenPath(api)).then().statusCode(200);
    }

    @Test
    void nonApiPathsStillReachPortcullisItself() {
        given().get("/auth/jwks").then().statusCode(200).body("keys", not(org.hamcrest.Matchers.empty()));
    }
}

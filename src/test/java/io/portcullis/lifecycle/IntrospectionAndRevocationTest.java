package io.portcullis.lifecycle;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.SubscriptionService;
import io.agroal.api.AgroalDataSource;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.portcullis.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;

/** RFC 7662 and RFC 7009 over real HTTP (docs/contract.md#discovery-and-keys), with the gateway as the second witness. */
@QuarkusTest
class IntrospectionAndRevocationTest {
    static TestUpstream upstream;

    @Inject
    Fixtures fixtures;

    @Inject
    io.portcullis.token.Revocations revocations;

    @Inject
    ApiService apis;

    @Inject
    AuthMethodService authMethods;

    @Inject
    SubscriptionService subscriptions;

    @Inject
    SigningKeys keys;

    @Inject
    AgroalDataSource dataSource;

    String api;
    IssuedCredentials client;
    String token;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void setUp() {
        fixtures.ensureBasics();
        api = Fixtures.uniqueId("life");
        apis.create(ApiDefinition.builder(api).name("Lifecycle").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of(new ApiDefinition.Scope("read", "Read")))
                .routes(List.of()).plans(List.of(Fixtures.PLAN)).build());
        client = fixtures.subscribe(api);
        token = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
    }

    String path(String endpoint) {
        return "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/" + endpoint;
    }

    ValidatableResponse introspect(IssuedCredentials caller, String subject) {
        return given().auth().preemptive().basic(caller.clientId(), caller.clientSecret())
                .contentType("application/x-www-form-urlencoded").formParam("token", subject)
                .post(path("introspect")).then().header("Cache-Control", "no-store");
    }

    void inactive(IssuedCredentials caller, String subject) {
        introspect(caller, subject).statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    ValidatableResponse revoke(IssuedCredentials caller, String subject) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", caller.clientId()).formParam("client_secret", caller.clientSecret())
                .formParam("token", subject).formParam("token_type_hint", "access_token")
                .post(path("revoke")).then();
    }

    // ---- introspection ----

    /** A token of the second auth method of a new API that accepts two. */
    String tokenOfASecondAuthMethod(String method, ApiDefinition[] spec) {
        authMethods.create(new AuthMethodDefinition(method, "Second", null, true));
        String id = Fixtures.uniqueId("drift");
        spec[0] = ApiDefinition.builder(id).name("Drift").requestPath("/" + id).upstreamUrl(upstream.url("/"))
                .authMethods(List.of(Fixtures.AUTH_METHOD, method)).scopes(List.of(new ApiDefinition.Scope("read", "Read")))
                .routes(List.of()).plans(List.of(Fixtures.PLAN)).build();
        apis.create(spec[0]);
        api = id;
        client = fixtures.subscribe(api);
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post("/auth/" + method + "/api/" + id + "/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void aTokenOfAnAuthMethodTheApiNoLongerAcceptsIsInactiveAndRefusedAtTheGateway() {
        ApiDefinition[] spec = new ApiDefinition[1];
        String method = Fixtures.uniqueId("am");
        String second = tokenOfASecondAuthMethod(method, spec);
        IssuedCredentials resourceServer = fixtures.subscribe(api);
        introspect(resourceServer, second).statusCode(200).body("active", equalTo(true));
        given().header("Authorization", "Bearer " + second).get("/" + api + "/x").then().statusCode(200);

        ApiDefinition s = spec[0];
        apis.replace(api, s.toBuilder().authMethods(Fixtures.AUTH_METHOD).build());
        inactive(resourceServer, second);
        given().header("Authorization", "Bearer " + second).get("/" + api + "/x").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("error=\"invalid_token\""));
    }

    @Test
    void aTokenOfADisabledAuthMethodIsInactiveAndRefusedAtTheGateway() {
        String method = Fixtures.uniqueId("am");
        String second = tokenOfASecondAuthMethod(method, new ApiDefinition[1]);
        IssuedCredentials resourceServer = fixtures.subscribe(api);
        introspect(resourceServer, second).statusCode(200).body("active", equalTo(true));

        authMethods.replace(method, new AuthMethodDefinition(method, "Second", null, false));
        inactive(resourceServer, second);
        given().header("Authorization", "Bearer " + second).get("/" + api + "/x").then().statusCode(401);
        // the token of the auth method that still stands is unaffected
        String first = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        introspect(resourceServer, first).statusCode(200).body("active", equalTo(true));
        given().header("Authorization", "Bearer " + first).get("/" + api + "/x").then().statusCode(200);
    }

    @Test
    void activeTokenCarriesItsClaims() {
        IssuedCredentials resourceServer = fixtures.subscribe(api);
        introspect(resourceServer, token).statusCode(200)
                .body("active", equalTo(true))
                .body("client_id", equalTo(client.clientId()))
                .body("sub", equalTo(client.clientId()))
                .body("aud", equalTo(api))
                .body("scope", equalTo("read"))
                .body("token_type", equalTo("Bearer"))
                .body("iss", equalTo("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api))
                .body("subscription", equalTo(client.subscriptionId().toString()))
                .body("plan", equalTo(Fixtures.PLAN))
                .body("auth_method", equalTo(Fixtures.AUTH_METHOD));
    }

    @Test
    void expiredMalformedForeignAndOtherApiTokensAreInactive() {
        inactive(client, Tokens.expired(keys, api, client));
        inactive(client, "not-a-token");
        inactive(client, token.substring(0, token.length() - 4) + "AAAA");
        String otherApi = fixtures.api("read");
        IssuedCredentials other = fixtures.subscribe(otherApi);
        // a token of another API, introspected at this API's endpoint
        inactive(client, TokenClient.token(otherApi, other.clientId(), other.clientSecret(), null));
        // a token signed by a key that is not ours
        inactive(client, Tokens.claims(api, client).jws().type("at+jwt").sign(generateRsa().getPrivate()));
    }

    @Test
    void onlyClientsOfThisApiMayIntrospect() {
        String otherApi = fixtures.api("read");
        IssuedCredentials stranger = fixtures.subscribe(otherApi);
        introspect(stranger, token).statusCode(401).body("error", equalTo("invalid_client"));
        given().contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(path("introspect")).then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(client.clientId(), client.clientSecret())
                .contentType("application/x-www-form-urlencoded").post(path("introspect")).then()
                .statusCode(400).body("error", equalTo("invalid_request"));
        given().get(path("introspect")).then().statusCode(405).header("Allow", "POST");
    }

    /** A subscription whose approval was withdrawn still authenticates: it may not introspect, but may still revoke its own tokens. */
    @Test
    void anUnapprovedSubscriptionMayNotIntrospectButMayRevoke() {
        IssuedCredentials resourceServer = fixtures.subscribe(api);
        introspect(resourceServer, token).statusCode(200).body("active", equalTo(true));
        subscriptions.revokeApproval(resourceServer.subscriptionId());
        introspect(resourceServer, token).statusCode(400).body("error", equalTo("unauthorized_client"));
        subscriptions.revokeApproval(client.subscriptionId());
        revoke(client, token).statusCode(200);
        subscriptions.approve(client.subscriptionId());
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(401);
    }

    // ---- revocation ----

    @Test
    void ownerRevokesAndTheTokenIsRefusedEverywhere() {
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
        revoke(client, token).statusCode(200).header("Cache-Control", "no-store");
        inactive(client, token);
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then()
                .statusCode(401).body("error_description", equalTo("The access token has been revoked"));
        // revoking again, or revoking garbage, is still 200 (RFC 7009 section 2.2)
        revoke(client, token).statusCode(200);
        revoke(client, "garbage").statusCode(200);
        // a new token works
        String fresh = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        given().header("Authorization", "Bearer " + fresh).get("/" + api + "/x").then().statusCode(200);
    }

    /** Issue-then-revoke in a loop cannot grow the revoked set without bound: 60 a minute per client. */
    @Test
    void aClientRevokesAtMostSixtyTokensAMinute() {
        for (int i = 0; i < 60; i++) {
            revoke(client, TokenClient.token(api, client.clientId(), client.clientSecret(), "read")).statusCode(200);
        }
        String sixtyFirst = TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
        revoke(client, sixtyFirst).statusCode(429).header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]?"))
                .body("error", equalTo("rate_limited"));
        // the refused revocation did nothing: the token still works
        given().header("Authorization", "Bearer " + sixtyFirst).get("/" + api + "/x").then().statusCode(200);
        // another client of the API has its own count
        IssuedCredentials other = fixtures.subscribe(api);
        revoke(other, TokenClient.token(api, other.clientId(), other.clientSecret(), "read")).statusCode(200);
    }

    @Test
    void anotherClientCannotRevoke() {
        IssuedCredentials other = fixtures.subscribe(api);
        revoke(other, token).statusCode(400).body("error", equalTo("unauthorized_client"));
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
        revoke(new IssuedCredentials(client.subscriptionId(), true, client.clientId(), "wrong"), token).statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
    }

    @Test
    void aRevocationWrittenByAnotherReplicaIsSeenAtTheNextPoll() throws Exception {
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(200);
        String jti = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into revoked_token (jti, client_id, expires_at) values (?, ?, ?)")) {
            // straight into the shared table, as another replica's revocation endpoint would
            s.setString(1, jti);
            s.setString(2, client.clientId());
            s.setObject(3, java.time.OffsetDateTime.now().plusHours(1));
            s.executeUpdate();
        }
        // the poller's turn, taken now rather than waited for (waiting would race the clock)
        revocations.poll();
        given().header("Authorization", "Bearer " + token).get("/" + api + "/x").then().statusCode(401);
        inactive(client, token);
    }

    static java.security.KeyPair generateRsa() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.portcullis.token;

import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.ScopeMode;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** docs/contract.md#token-endpoint over real HTTP: both client authentication methods, both body formats, every row of the error table. */
@QuarkusTest
class TokenEndpointTest {
    @Inject
    Fixtures fixtures;

    String api;
    IssuedCredentials client;

    @BeforeEach
    void setUp() {
        api = fixtures.api("read", "write");
        client = fixtures.subscribe(api);
    }

    static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static ValidatableResponse assertError(ValidatableResponse response, int status, String error) {
        return response.statusCode(status)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", notNullValue())
                .body("$", not(hasKey("access_token")));
    }

    // ---- success ----

    @Test
    void clientSecretPostIssuesABearerToken() {
        TokenClient.post(api, client.clientId(), client.clientSecret(), null).then()
                .statusCode(200)
                .contentType("application/json")
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("access_token", startsWith("eyJ"))
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(600))
                .body("$", not(hasKey("refresh_token")))
                .body("$", not(hasKey("scope")));
    }

    @Test
    void clientSecretBasicIssuesAToken() {
        given().header("Authorization", basic(client.clientId(), client.clientSecret()))
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "read")
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("scope", equalTo("read"));
    }

    @Test
    void basicSchemeIsCaseInsensitiveAndClientIdMayBeRepeatedInTheBody() {
        given().header("Authorization", basic(client.clientId(), client.clientSecret()).replace("Basic", "basic"))
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId())
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200);
    }

    @Test
    void jsonBodyIsAcceptedLikeTheForm() {
        given().contentType("application/json")
                .body("{\"grant_type\":\"client_credentials\",\"client_id\":\"" + client.clientId()
                        + "\",\"client_secret\":\"" + client.clientSecret() + "\",\"scope\":\"read write\"}")
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo("read write"));
    }

    @Test
    void emptyParametersCountAsAbsent() {
        given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=" + client.clientId() + "&client_secret=" + client.clientSecret() + "&scope=")
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200)
                .body("$", not(hasKey("scope")));
    }

    @Test
    void resourceThatNamesThisApiIsAccepted() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId())
                .formParam("client_secret", client.clientSecret())
                .formParam("resource", "http://localhost:8081/" + api)
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200);
    }

    @Test
    void acceptHeaderDoesNotChangeTheFormat() {
        given().accept("text/html").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then()
                .statusCode(200).contentType("application/json");
        assertError(given().accept("application/xml").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").post(Fixtures.tokenPath(api)).then(), 400, "unsupported_grant_type");
    }

    // ---- 400 invalid_request ----

    @Test
    void missingGrantType() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
    }

    @Test
    void parameterGivenTwice() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&scope=read&scope=write&client_id=" + client.clientId()
                        + "&client_secret=" + client.clientSecret())
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().contentType("application/json")
                .body("{\"grant_type\":\"client_credentials\",\"grant_type\":\"client_credentials\"}")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
    }

    @Test
    void credentialsInHeaderAndBody() {
        assertError(given().header("Authorization", basic(client.clientId(), client.clientSecret()))
                .contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId())
                .formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
    }

    @Test
    void malformedBasicHeader() {
        for (String header : List.of("Basic", "Basic !!!not-base64!!!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(":secret-only".getBytes(StandardCharsets.UTF_8)))) {
            assertError(given().header("Authorization", header)
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        }
    }

    @Test
    void unreadableBody() {
        assertError(given().contentType("application/json").body("{\"grant_type\": ")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().contentType("application/json").body("[\"grant_type\"]")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().contentType("application/json").body("{\"grant_type\": \"client_credentials\"} {}")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().contentType("application/json").body("{\"grant_type\": 42}")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().contentType("application/x-www-form-urlencoded").body("grant_type=%zzclient_credentials")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        var invalidUtf8 = io.portcullis.support.RawHttp.post(Fixtures.tokenPath(api), "application/x-www-form-urlencoded",
                new byte[]{'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xC3, (byte) 0x28});
        org.junit.jupiter.api.Assertions.assertEquals(400, invalidUtf8.statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(invalidUtf8.body().contains("\"invalid_request\""), invalidUtf8.body());
    }

    @Test
    void wrongContentType() {
        assertError(given().contentType("text/plain")
                .body("grant_type=client_credentials&client_id=" + client.clientId() + "&client_secret=" + client.clientSecret())
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
        assertError(given().body(new byte[0]).post(Fixtures.tokenPath(api)).then(), 400, "invalid_request");
    }

    // ---- 400 unsupported_grant_type ----

    @Test
    void otherGrantTypes() {
        for (String grant : List.of("password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS")) {
            assertError(given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", grant)
                    .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                    .post(Fixtures.tokenPath(api)).then(), 400, "unsupported_grant_type");
        }
    }

    // ---- 401 invalid_client ----

    @Test
    void unknownClientId() {
        assertError(TokenClient.post(api, "0123456789abcdef0123456789abcdef", client.clientSecret(), null).then(), 401, "invalid_client")
                .header("WWW-Authenticate", is((String) null));
    }

    @Test
    void wrongSecretGivesTheSameAnswerAsAnUnknownClient() {
        String unknown = TokenClient.post(api, "0123456789abcdef0123456789abcdef", client.clientSecret(), null).asString();
        String wrong = TokenClient.post(api, client.clientId(), client.clientSecret() + "x", null).asString();
        org.junit.jupiter.api.Assertions.assertEquals(unknown, wrong);
        assertError(TokenClient.post(api, client.clientId(), "not-the-secret", null).then(), 401, "invalid_client");
    }

    @Test
    void missingSecret() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", client.clientId())
                .post(Fixtures.tokenPath(api)).then(), 401, "invalid_client");
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .post(Fixtures.tokenPath(api)).then(), 401, "invalid_client");
    }

    @Test
    void basicFailureCarriesABasicChallenge() {
        assertError(given().header("Authorization", basic(client.clientId(), "wrong"))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(Fixtures.tokenPath(api)).then(), 401, "invalid_client")
                .header("WWW-Authenticate", startsWith("Basic realm=\""));
    }

    @Test
    void anotherAuthorizationSchemeIsAskedForBasic() {
        assertError(given().header("Authorization", "Bearer abc")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post(Fixtures.tokenPath(api)).then(), 401, "invalid_client")
                .header("WWW-Authenticate", equalTo("Basic realm=\"" + api + "\""));
    }

    @Test
    void clientIdOfAnotherApisSubscription() {
        String otherApi = fixtures.api("read");
        IssuedCredentials other = fixtures.subscribe(otherApi);
        assertError(TokenClient.post(api, other.clientId(), other.clientSecret(), null).then(), 401, "invalid_client");
    }

    // ---- 400 unauthorized_client ----

    @Test
    void publicClient() {
        for (ClientType type : List.of(ClientType.PUBLIC_SPA, ClientType.PUBLIC_NATIVE)) {
            IssuedCredentials pub = fixtures.subscribe(api, ScopeMode.ALL, List.of(), false, type, Fixtures.PLAN);
            org.junit.jupiter.api.Assertions.assertNull(pub.clientSecret(), "a public client gets no secret");
            assertError(TokenClient.post(api, pub.clientId(), "anything", null).then(), 400, "unauthorized_client");
        }
    }

    @Test
    void apiWithClientCredentialsDisabled() {
        String disabled = fixtures.api(false, "read");
        IssuedCredentials sub = fixtures.subscribe(disabled);
        assertError(TokenClient.post(disabled, sub.clientId(), sub.clientSecret(), null).then(), 400, "unauthorized_client");
    }

    @Test
    void subscriptionNotApproved() {
        IssuedCredentials pending = fixtures.subscribe(api, ScopeMode.ALL, List.of(), false, ClientType.CONFIDENTIAL, Fixtures.PLAN + "-approval");
        org.junit.jupiter.api.Assertions.assertFalse(pending.approved());
        org.junit.jupiter.api.Assertions.assertNull(pending.clientId(), "no credentials before approval");

        IssuedCredentials approved = fixtures.subscriptions().approve(pending.subscriptionId());
        TokenClient.post(api, approved.clientId(), approved.clientSecret(), null).then().statusCode(200);

        fixtures.subscriptions().revokeApproval(pending.subscriptionId());
        assertError(TokenClient.post(api, approved.clientId(), approved.clientSecret(), null).then(), 400, "unauthorized_client");
    }

    @Test
    void authMethodNotAcceptedByTheApi() {
        String other = Fixtures.uniqueId("am");
        fixtures.authMethods().create(new AuthMethodDefinition(other, "Other", null, true));
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post("/auth/" + other + "/api/" + api + "/token").then(), 400, "unauthorized_client");
    }

    // ---- 400 invalid_scope, invalid_target ----

    @Test
    void unknownScope() {
        assertError(TokenClient.post(api, client.clientId(), client.clientSecret(), "read admin").then(), 400, "invalid_scope");
    }

    @Test
    void malformedScope() {
        for (String scope : List.of("read  write", " read", "read ", "re\"ad", "read\twrite", "x".repeat(129))) {
            assertError(TokenClient.post(api, client.clientId(), client.clientSecret(), scope).then(), 400, "invalid_scope");
        }
    }

    @Test
    void resourceOfAnotherApi() {
        assertError(given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .formParam("resource", "http://localhost:8081/somewhere-else")
                .post(Fixtures.tokenPath(api)).then(), 400, "invalid_target");
    }

    // ---- 404, 405 ----

    @Test
    void unknownOrDisabledAuthMethodAndUnknownApi() {
        assertError(TokenClient.post("no-such-api", client.clientId(), client.clientSecret(), null).then(), 404, "invalid_request");
        assertError(given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/auth/no-such-method/api/" + api + "/token").then(), 404, "invalid_request");
        String disabled = Fixtures.uniqueId("am");
        fixtures.authMethods().create(new AuthMethodDefinition(disabled, "Disabled", null, false));
        assertError(given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/auth/" + disabled + "/api/" + api + "/token").then(), 404, "invalid_request");
    }

    @Test
    void otherMethodsAre405WithAllowPost() {
        assertError(given().get(Fixtures.tokenPath(api)).then(), 405, "invalid_request").header("Allow", "POST");
        assertError(given().put(Fixtures.tokenPath(api)).then(), 405, "invalid_request").header("Allow", "POST");
        assertError(given().delete(Fixtures.tokenPath(api)).then(), 405, "invalid_request").header("Allow", "POST");
    }

    // ---- 429 ----

    @Test
    void tooManyFailedAuthenticationsAreRefusedButNeverTheRightSecret() {
        for (int i = 0; i < 10; i++) {
            assertError(TokenClient.post(api, client.clientId(), "wrong-" + i, null).then(), 401, "invalid_client");
        }
        // now every further failure is refused until the window ends
        assertError(TokenClient.post(api, client.clientId(), "wrong-again", null).then(), 429, "invalid_client")
                .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"));
        // but never the right secret: whoever knows a client id cannot lock its owner out
        TokenClient.post(api, client.clientId(), client.clientSecret(), null).then().statusCode(200);
        // another client is not affected
        IssuedCredentials other = fixtures.subscribe(api);
        TokenClient.post(api, other.clientId(), other.clientSecret(), null).then().statusCode(200);
    }
}

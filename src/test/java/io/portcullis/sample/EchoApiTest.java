package io.portcullis.sample;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.ScopeMode;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The echo sample API: a resource server that verifies our tokens through /auth/jwks (RFC 6750 errors as docs/contract.md#gateway words them). */
@QuarkusTest
class EchoApiTest {
    @Inject
    Fixtures fixtures;

    IssuedCredentials client;

    @BeforeEach
    void setUp() {
        fixtures.ensureBasics();
        boolean present = QuarkusTransaction.requiringNew().call(() -> io.portcullis.registry.Api.findById("echo") != null);
        if (!present) {
            fixtures.apis().create(ApiDefinition.builder("echo").name("Echo").requestPath("/echo")
                    .upstreamUrl("http://localhost:8081/sample/echo").authMethods(List.of(Fixtures.AUTH_METHOD))
                    .scopes(List.of(new ApiDefinition.Scope("read", "Read"), new ApiDefinition.Scope("write", "Write")))
                    .routes(List.of(new ApiDefinition.Route("/", List.of("GET"), List.of("read")),
                            new ApiDefinition.Route("/", List.of("POST", "PUT", "PATCH", "DELETE"), List.of("write")))).plans(List.of(Fixtures.PLAN)).build());
        }
        client = fixtures.subscribe("echo", ScopeMode.ALL, List.of(), false);
    }

    @Test
    void answersWithTheCaller() {
        String token = TokenClient.token("echo", client.clientId(), client.clientSecret(), "read");
        given().header("Authorization", "Bearer " + token).get("/echo/things/1").then()
                .statusCode(200)
                .body("clientId", equalTo(client.clientId()))
                .body("subscription", equalTo(client.subscriptionId().toString()))
                .body("scopes", contains("read"))
                .body("path", equalTo("/things/1"))
                .body("headers", not(org.hamcrest.Matchers.hasKey("authorization")));
    }

    @Test
    void theCallerGetsOneRequestIdThroughTheGateway() {
        String token = TokenClient.token("echo", client.clientId(), client.clientSecret(), "read");
        var ids = given().header("Authorization", "Bearer " + token).header("X-Request-Id", "trace-42").get("/echo/x").then()
                .statusCode(200).extract().headers().getValues("X-Request-Id");
        org.junit.jupiter.api.Assertions.assertEquals(List.of("trace-42"), ids);
    }

    @Test
    void missingToken() {
        // at the resource itself, which checks tokens with SmallRye JWT like an independent resource server
        given().get("/sample/echo").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"echo\""))
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("The access token is missing"));
        // and through the gateway, which adds where its metadata is (RFC 9728 section 5.1)
        given().get("/echo").then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"echo\", resource_metadata="
                        + "\"http://localhost:8081/.well-known/oauth-protected-resource/echo\""))
                .body("error_description", equalTo("The access token is missing"));
    }

    @Test
    void theResourceVerifiesTokensItselfToo() {
        String token = TokenClient.token("echo", client.clientId(), client.clientSecret(), "read");
        given().header("Authorization", "Bearer " + token).get("/sample/echo/direct").then()
                .statusCode(200).body("path", equalTo("/direct"));
        String[] parts = token.split("\\.");
        given().header("Authorization", "Bearer " + parts[0] + "." + parts[1] + ".AAAA").get("/sample/echo").then()
                .statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        given().header("Authorization", "Bearer " + token).post("/sample/echo").then().statusCode(403);
    }

    @Test
    void badSignatureAndGarbage() {
        String token = TokenClient.token("echo", client.clientId(), client.clientSecret(), "read");
        String[] parts = token.split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        for (String bad : List.of(badSignature, "not-a-jwt", parts[0] + "." + parts[1] + ".")) {
            given().header("Authorization", "Bearer " + bad).get("/echo").then()
                    .statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                    .header("WWW-Authenticate", containsString("realm=\"echo\""))
                    .body("error", equalTo("invalid_token"));
        }
    }

    @Test
    void tokenOfAnotherApiIsRefused() {
        String api = fixtures.api("read");
        IssuedCredentials other = fixtures.subscribe(api);
        String foreign = TokenClient.token(api, other.clientId(), other.clientSecret(), "read");
        given().header("Authorization", "Bearer " + foreign).get("/echo").then()
                .statusCode(401).body("error", equalTo("invalid_token"));
    }

    @Test
    void missingScopeIs403WithTheScopeItNeeds() {
        String readOnly = TokenClient.token("echo", client.clientId(), client.clientSecret(), "read");
        given().header("Authorization", "Bearer " + readOnly).post("/echo").then()
                .statusCode(403)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"echo\", error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks a scope this request needs\", scope=\"write\""))
                .body("error", equalTo("insufficient_scope"));
        String writer = TokenClient.token("echo", client.clientId(), client.clientSecret(), "write");
        given().header("Authorization", "Bearer " + writer).post("/echo").then().statusCode(200).body("method", equalTo("POST"));
    }
}

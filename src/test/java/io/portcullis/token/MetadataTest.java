package io.portcullis.token;

import io.portcullis.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

/** RFC 8414 metadata at the three locations docs/contract.md#discovery-and-keys names. */
@QuarkusTest
class MetadataTest {
    @Inject
    Fixtures fixtures;

    @Test
    void metadataAtBothPathsIsTheSame() {
        String api = fixtures.api("read", "write");
        String issuer = "http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
        for (String path : new String[]{
                "/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api,
                "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/.well-known/oauth-authorization-server",
                "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/.well-known/openid-configuration"}) {
            given().get(path).then().log().ifValidationFails()
                    .statusCode(200)
                    .contentType("application/json")
                    .body("issuer", equalTo(issuer))
                    .body("token_endpoint", equalTo(issuer + "/token"))
                    .body("jwks_uri", equalTo("http://localhost:8081/auth/jwks"))
                    .body("grant_types_supported", contains("client_credentials"))
                    .body("token_endpoint_auth_methods_supported", containsInAnyOrder("client_secret_basic", "client_secret_post", "private_key_jwt",
                            "tls_client_auth", "self_signed_tls_client_auth"))
                    .body("token_endpoint_auth_signing_alg_values_supported", containsInAnyOrder("RS256", "PS256", "ES256", "EdDSA"))
                    .body("introspection_endpoint", equalTo(issuer + "/introspect"))
                    .body("revocation_endpoint", equalTo(issuer + "/revoke"))
                    .body("response_types_supported", org.hamcrest.Matchers.empty())
                    .body("access_token_signing_alg_values_supported", contains("RS256"))
                    .body("scopes_supported", contains("read", "write"))
                    // nothing Portcullis does not do: no ID tokens, no userinfo, no authorization endpoint
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("userinfo_endpoint")))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("id_token_signing_alg_values_supported")))
                    .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("authorization_endpoint")));
        }
    }

    @Test
    void unknownIssuersAre404() {
        String api = fixtures.api("read");
        given().get("/.well-known/oauth-authorization-server/auth/nope/api/" + api).then()
                .statusCode(404).body("error", equalTo("invalid_request"));
        given().get("/auth/" + Fixtures.AUTH_METHOD + "/api/nope/.well-known/oauth-authorization-server").then()
                .statusCode(404);
        given().get("/auth/" + Fixtures.AUTH_METHOD + "/api/nope/.well-known/openid-configuration").then()
                .statusCode(404);
    }
}

package io.portcullis.support;

import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** Token requests as a client sends them, over real HTTP. */
public final class TokenClient {
    private TokenClient() {
    }

    public static Response post(String apiId, String clientId, String secret, String scope) {
        var request = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId)
                .formParam("client_secret", secret);
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post(Fixtures.tokenPath(apiId));
    }

    public static String token(String apiId, String clientId, String secret, String scope) {
        return post(apiId, clientId, secret, scope).then().statusCode(200).extract().path("access_token");
    }
}

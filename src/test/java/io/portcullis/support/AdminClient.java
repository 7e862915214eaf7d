package io.portcullis.support;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Admin API calls with a real admin token, got from the token endpoint with the configured admin client. */
public final class AdminClient {
    public static final String CLIENT_ID = "portcullis-admin-test";
    public static final String CLIENT_SECRET = "test-only-admin-secret-0123456789abcdefg";

    private AdminClient() {
    }

    public static String token() {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("scope", "admin")
                .formParam("client_id", CLIENT_ID).formParam("client_secret", CLIENT_SECRET)
                .post("/auth/default/api/admin/token").then().statusCode(200).extract().path("access_token");
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + token()).contentType("application/json");
    }
}

package io.portcullis.token;

import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.DatabaseSnapshot;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A refused token request leaves every table as it was; and so, on the hot path, does a granted one. */
@QuarkusTest
class RefusedRequestsChangeNothingTest {
    @Inject
    Fixtures fixtures;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void refusedAndGrantedRequestsWriteNothing() {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        Map<String, String> before = DatabaseSnapshot.take(dataSource);

        TokenClient.post(api, client.clientId(), "wrong", "read").then().statusCode(401);
        TokenClient.post(api, client.clientId(), client.clientSecret(), "nope").then().statusCode(400);
        TokenClient.post(api, "ffffffffffffffffffffffffffffffff", "x", null).then().statusCode(401);
        given().contentType("application/json").body("{\"grant_type\":\"client_credentials\",\"client_id\":\"'; drop table api; --\"}")
                .post(Fixtures.tokenPath(api)).then().statusCode(401);
        given().contentType("application/x-www-form-urlencoded").body("grant_type=password")
                .post(Fixtures.tokenPath(api)).then().statusCode(400);
        given().get(Fixtures.tokenPath(api)).then().statusCode(405);
        TokenClient.post(api, client.clientId(), client.clientSecret(), "read").then().statusCode(200);

        assertEquals(before, DatabaseSnapshot.take(dataSource));
    }
}

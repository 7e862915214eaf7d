package io.portcullis.token;

import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.SecondConfiguration;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TcpProxy;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/contract.md#token-endpoint: database unreachable is 503 temporarily_unavailable with Retry-After, and the server recovers by itself. */
@QuarkusTest
@TestProfile(SecondConfiguration.class) // its database is behind a relay the test can cut
class DatabaseOutageTest {
    @Inject
    Fixtures fixtures;

    @Inject
    io.portcullis.ops.AuditLog audit;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @AfterEach
    void reconnect() {
        TcpProxy.setReachable(true);
    }

    @Test
    void unreachableDatabaseIs503AndRecoveryIsAutomatic() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);

        TcpProxy.setReachable(false);
        long start = System.nanoTime();
        TokenClient.post(api, client.clientId(), client.clientSecret(), "read").then()
                .statusCode(503)
                .header("Retry-After", equalTo("5"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo("temporarily_unavailable"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        // not a race: a request held until the client gives up is the failure this would see (the
        // refusal comes after the connect or acquisition timeout: 3 s in production, 1 s in this profile)
        assertTrue(millis < 30_000, "the refusal took " + millis + " ms");
        // readiness follows the database
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(503);
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
        // audit records of the outage wait in the queue and are written when the database is back
        TokenClient.post(api, client.clientId(), "refused-during-outage", null).then().statusCode(503);

        TcpProxy.setReachable(true);
        // connections the outage broke and nobody has used since are dropped now, so that neither the
        // readiness check nor the audit writer below meets one
        dataSource.flush(io.agroal.api.AgroalDataSource.FlushMode.INVALID);
        // the pool drops a connection the outage broke when it fails: at most one refusal per pooled
        // connection, then a new one works (no waiting: the relay is back before setReachable returns)
        int status = 0;
        int attempts = 0;
        while (status != 200 && attempts++ < 25) {
            status = TokenClient.post(api, client.clientId(), client.clientSecret(), "read").statusCode();
        }
        assertEquals(200, status, "token requests work again once the database is back");
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
        audit.flush();
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select count(*) from audit_event where api_id = '" + api + "' and error = 'temporarily_unavailable'")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 2, "the refusals during the outage were audited once it ended");
        }
    }
}

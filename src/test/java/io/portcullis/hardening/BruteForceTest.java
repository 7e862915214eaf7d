package io.portcullis.hardening;

import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Brute force (docs/contract.md#token-endpoint): per client id and per source address, counted across replicas. */
@QuarkusTest
@TestProfile(io.portcullis.support.DemoConfiguration.class) // its thresholds: 5 per client id, 40 per address, 60 s windows
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BruteForceTest {
    @Inject
    Fixtures fixtures;

    @Inject
    AgroalDataSource dataSource;

    @Test
    @org.junit.jupiter.api.Order(1)
    void failuresCountedByAnotherReplicaLockHereToo() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials victim = fixtures.subscribe(api);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into failed_authentication (subject, window_start, failures) values (?, now(), 4)")) {
            // four failures another replica counted in a window that began just now
            s.setString(1, "client:" + victim.clientId());
            s.executeUpdate();
        }
        TokenClient.post(api, victim.clientId(), "wrong", null).then().statusCode(401);
        TokenClient.post(api, victim.clientId(), "wrong again", null).then()
                .statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]?")).body("error", equalTo("invalid_client"));
        // the lock refuses failures only: the owner of the client id is never locked out
        TokenClient.post(api, victim.clientId(), victim.clientSecret(), null).then().statusCode(200);
    }

    /** Knowing a client id (it is in every token) lets nobody lock its owner out: token, introspection, revocation, admin. */
    /**
     * A flood of wrong secrets for the admin client (whose secret is hashed slowly, being chosen by a
     * person) costs digest comparisons, not key derivations: the admin and other clients get their
     * tokens during it, and the count of derivations, the only work here that takes long enough to
     * make anyone wait, does not move (no clock is read).
     */
    @Test
    @org.junit.jupiter.api.Order(4)
    void aFloodOfWrongAdminSecretsSlowsNobody() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials other = fixtures.subscribe(api);
        double before = derivations();
        java.util.concurrent.ExecutorService flood = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> guesses = new java.util.ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int n = i;
                guesses.add(flood.submit(() -> io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                        .formParam("grant_type", "client_credentials").formParam("client_id", io.portcullis.support.AdminClient.CLIENT_ID)
                        .formParam("client_secret", "guess-" + n).post("/auth/default/api/admin/token").statusCode()));
            }
            io.portcullis.support.AdminClient.token();
            TokenClient.token(api, other.clientId(), other.clientSecret(), "read");
            for (var guess : guesses) {
                int status = guess.get(30, java.util.concurrent.TimeUnit.SECONDS);
                org.junit.jupiter.api.Assertions.assertTrue(status == 401 || status == 429, "a wrong guess got " + status);
            }
            // what would have made anyone wait: not one key derivation for 48 guesses and the honest requests
            org.junit.jupiter.api.Assertions.assertEquals(before, derivations(), 0.0, "the flood made the server derive keys");
        } finally {
            flood.shutdownNow();
        }
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private double derivations() {
        return meters.get("portcullis.secrets.derivations").functionCounter().count();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aLockedClientIdStillGetsItsAnswersWithItsCredentials() {
        String api = fixtures.api("read");
        IssuedCredentials victim = fixtures.subscribe(api);
        for (int i = 0; i < 5; i++) {
            TokenClient.post(api, victim.clientId(), "guess-" + i, null).statusCode();
        }
        TokenClient.post(api, victim.clientId(), "one more guess", null).then().statusCode(429);
        String token = TokenClient.token(api, victim.clientId(), victim.clientSecret(), "read");
        String path = "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
        io.restassured.RestAssured.given().auth().preemptive().basic(victim.clientId(), victim.clientSecret())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(path + "/introspect").then().statusCode(200).body("active", equalTo(true));
        io.restassured.RestAssured.given().auth().preemptive().basic(victim.clientId(), victim.clientSecret())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(path + "/revoke").then().statusCode(200);
        io.restassured.RestAssured.given().auth().preemptive().basic(victim.clientId(), "wrong")
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(path + "/introspect").then().statusCode(429);

        // the admin client, whose id is in the generated manifests
        for (int i = 0; i < 6; i++) {
            io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .formParam("client_id", io.portcullis.support.AdminClient.CLIENT_ID).formParam("client_secret", "guess-" + i)
                    .post("/auth/default/api/admin/token").then().statusCode(org.hamcrest.Matchers.either(equalTo(401)).or(equalTo(429)));
        }
        io.portcullis.support.AdminClient.admin().get("/admin/v1/apis").then().statusCode(200);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void oneAddressGuessingManyClientIdsIsLockedOut() {
        String api = fixtures.api("read");
        IssuedCredentials real = fixtures.subscribe(api);
        int refused = 0;
        for (int i = 0; i < 45; i++) {
            int status = TokenClient.post(api, String.format("%032x", i + 12345), "guess", null).statusCode();
            if (status == 429) {
                refused++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(refused > 0, "past 40 failures the address is refused");
        // a real client behind the same address (a NAT, an ingress) still gets its token
        TokenClient.post(api, real.clientId(), real.clientSecret(), null).then().statusCode(200);
        // and the success resets nothing: the next failure from the address is refused at once
        TokenClient.post(api, real.clientId(), "wrong", null).then().statusCode(429);
    }
}

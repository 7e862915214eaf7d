package io.portcullis.hardening;

import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.RegistryService.Credentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** Brute force (docs/contract.md#token-endpoint): per client id and per source address, counted across replicas. */
@QuarkusTest
@TestProfile(BruteForceTest.Profile.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BruteForceTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.lockout.max-failures", "5", "portcullis.lockout.max-failures-per-address", "40",
                    "portcullis.lockout.window", "60s");
        }
    }

    @Inject
    Fixtures fixtures;

    @Inject
    AgroalDataSource dataSource;

    @Test
    @org.junit.jupiter.api.Order(1)
    void failuresCountedByAnotherReplicaLockHereToo() throws Exception {
        String api = fixtures.api("read");
        Credentials victim = fixtures.subscribe(api);
        long now = Instant.now().getEpochSecond();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into failed_authentication (subject, window_start, failures) values (?, ?, 4)")) {
            // four failures another replica counted in this window
            s.setString(1, "client:" + victim.clientId());
            s.setObject(2, java.time.OffsetDateTime.ofInstant(Instant.ofEpochSecond(now - now % 60), java.time.ZoneOffset.UTC));
            s.executeUpdate();
        }
        TokenClient.post(api, victim.clientId(), "wrong", null).then().statusCode(401);
        TokenClient.post(api, victim.clientId(), victim.clientSecret(), null).then()
                .statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]?")).body("error", equalTo("invalid_client"));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void oneAddressGuessingManyClientIdsIsLockedOut() {
        String api = fixtures.api("read");
        Credentials real = fixtures.subscribe(api);
        int refused = 0;
        for (int i = 0; i < 45; i++) {
            int status = TokenClient.post(api, String.format("%032x", i + 12345), "guess", null).statusCode();
            if (status == 429) {
                refused++;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(refused > 0, "past 40 failures the address is refused");
        // and the lock holds for a real client from the same address: a success does not reset the count
        TokenClient.post(api, real.clientId(), real.clientSecret(), null).then().statusCode(429);
    }
}

package io.portcullis.hardening;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.ops.AuditLog;
import io.portcullis.registry.Registry;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refusals cost little (docs/contract.md#token-endpoint): a flood of made-up client ids (more than the cache of real ones holds) costs one
 * database read for each id the first time and none after, never pushes a real client out of the
 * cache, and the audit record of a refusal keeps at most 1,000 characters of what the request sent.
 */
@QuarkusTest
@io.quarkus.test.junit.TestProfile(io.portcullis.support.SecondConfiguration.class)
class RefusalFloodTest {
    @Inject
    Fixtures fixtures;

    @Inject
    Registry registry;

    @Inject
    MeterRegistry meters;

    @Inject
    AuditLog audit;

    @Inject
    AgroalDataSource dataSource;

    double loads() {
        return meters.counter("portcullis.registry.client.loads").count();
    }

    @Test
    void madeUpClientIdsAreReadOnceAndEvictNobody() {
        String api = fixtures.api("read");
        IssuedCredentials known = fixtures.subscribe(api);
        TokenClient.token(api, known.clientId(), known.clientSecret(), "read");
        assertNotNull(registry.cachedClient(known.clientId()), "the real client is cached");

        List<String> made = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            made.add(UUID.randomUUID().toString().replace("-", ""));
        }
        double before = loads();
        for (String id : made) {
            TokenClient.post(api, id, "guess", null).then().statusCode(401);
        }
        assertEquals(120, loads() - before, 0.0, "one read for each id the first time");
        double again = loads();
        for (String id : made) {
            TokenClient.post(api, id, "guess", null).then().statusCode(401);
        }
        assertEquals(0, loads() - again, 0.0, "none the second time");
        assertTrue(registry.cachedClient(known.clientId()).isPresent(), "the flood pushed the real client out of the cache");
    }

    @Test
    void aRefusalsAuditRecordKeepsAThousandCharactersOfTheScope() throws Exception {
        String api = fixtures.api("read");
        String requestId = "flood-" + UUID.randomUUID();
        String scope = "read ".repeat(20_000).trim();
        given().header("X-Request-Id", requestId).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", "0123456789abcdef0123456789abcdef")
                .formParam("client_secret", "guess").formParam("scope", scope)
                .post(Fixtures.tokenPath(api)).then().statusCode(401);
        audit.flush();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(
                "select length(scopes_requested) from audit_event where request_id = ?")) {
            q.setString(1, requestId);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), "the refusal was audited");
                assertTrue(r.getInt(1) <= 1000, "kept " + r.getInt(1) + " characters");
            }
        }
    }
}

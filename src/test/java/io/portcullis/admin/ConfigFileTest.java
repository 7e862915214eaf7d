package io.portcullis.admin;

import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.support.DatabaseSnapshot;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The declarative file (docs/contract.md#management): applied, applied again with no change, and a bad file that changes nothing. */
@QuarkusTest
class ConfigFileTest {
    @Inject
    ConfigFileApplier applier;

    @Inject
    AgroalDataSource dataSource;

    static String yaml(String suffix, String upstream, String extraScope) {
        String secretHash = ClientSecrets.hash("config-file-secret-0123456789abcdefghijkl");
        return """
                authMethods:
                  - id: cf-%1$s
                    friendlyName: File method
                plans:
                  - id: cf-plan-%1$s
                    name: From the file
                    rateLimitPerMinute: 600
                    tokenQuota: {limit: 1000, window: day, mode: report}
                apis:
                  - id: cf-api-%1$s
                    name: From the file
                    requestPath: /cf-api-%1$s
                    upstreamUrl: %2$s
                    authMethods: [cf-%1$s]
                    plans: [cf-plan-%1$s]
                    tokenClaims: {tenant: acme, limits: {rps: 10}}
                    scopes:
                      - id: read
                        description: Read
                %3$s
                    routes:
                      - pathPrefix: /
                        methods: [DELETE]
                        scopes: [read]
                applications:
                  - id: cf-app-%1$s
                    name: File app
                    clientType: confidential
                trustedIssuers:
                  - id: cf-ti-%1$s
                    issuer: https://cf-%1$s.example
                    jwksUri: https://cf-%1$s.example/jwks
                    audiences: [cf]
                subscriptions:
                  - application: cf-app-%1$s
                    api: cf-api-%1$s
                    plan: cf-plan-%1$s
                    allowedScopesMode: select
                    allowedScopes: [read]
                    clientId: cf-client-%1$s
                    clientSecretHash: "%4$s"
                    tokenClaims: {team: billing}
                    tokenLifetimeSeconds: 300
                    federatedIdentities:
                      - {trustedIssuer: cf-ti-%1$s, subject: "system:serviceaccount:cf:worker"}
                """.formatted(suffix, upstream, extraScope, secretHash);
    }

    static Path write(String name, String content) throws Exception {
        Path file = Path.of("target", name);
        Files.writeString(file, content);
        return file;
    }

    @Test
    void appliedThenReappliedWithNoChange() throws Exception {
        String suffix = Fixtures.uniqueId("f");
        Path file = write(suffix + ".yaml", yaml(suffix, "http://127.0.0.1:9/up", ""));
        applier.apply(file);
        // the path in the token URL is the file's auth method
        io.restassured.RestAssured.given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("client_id", "cf-client-" + suffix)
                .formParam("client_secret", "config-file-secret-0123456789abcdefghijkl")
                .post("/auth/cf-" + suffix + "/api/cf-api-" + suffix + "/token").then().statusCode(200)
                .body("expires_in", org.hamcrest.Matchers.equalTo(300))
                .header("RateLimit-Policy", org.hamcrest.Matchers.equalTo("\"tokens\";q=1000;w=86400"));

        Map<String, String> before = DatabaseSnapshot.take(dataSource);
        applier.apply(file);
        assertEquals(before, DatabaseSnapshot.take(dataSource), "the same file twice changes nothing");

        // a changed file changes what changed
        applier.apply(write(suffix + ".yaml", yaml(suffix, "http://127.0.0.1:9/up",
                "      - id: write\n        description: Write")));
        assertNotEquals(before, DatabaseSnapshot.take(dataSource));
    }

    @Test
    void aBadFileNamesThePlaceAndChangesNothing() throws Exception {
        String suffix = Fixtures.uniqueId("b");
        Map<String, String> before = DatabaseSnapshot.take(dataSource);

        // well-formed, but the API's upstream is not a URL: the auth method and plan before it must not stay either
        var e = assertThrows(ConfigFile.ConfigFileException.class,
                () -> applier.apply(write(suffix + ".yaml", yaml(suffix, "not-a-url", ""))));
        assertTrue(e.getMessage().contains("apis[0].upstreamUrl"), e.getMessage());
        assertEquals(before, DatabaseSnapshot.take(dataSource));

        e = assertThrows(ConfigFile.ConfigFileException.class,
                () -> applier.apply(write(suffix + "-typo.yaml", yaml(suffix, "http://up", "").replace("friendlyName: File method", "friendlyNam: x"))));
        assertTrue(e.getMessage().contains("authMethods[0]") && e.getMessage().contains("friendlyNam") && e.getMessage().contains("line"),
                e.getMessage());

        e = assertThrows(ConfigFile.ConfigFileException.class,
                () -> applier.apply(write(suffix + "-secret.yaml", yaml(suffix, "http://up", "").replaceAll("clientSecretHash: .*", "clientSecretEnv: PORTCULLIS_NO_SUCH_VARIABLE"))));
        assertTrue(e.getMessage().contains("subscriptions[0].clientSecretEnv"), e.getMessage());

        e = assertThrows(ConfigFile.ConfigFileException.class, () -> applier.apply(write(suffix + "-broken.json", "{\"apis\": [")));
        assertTrue(e.getMessage().contains("apis") && e.getMessage().contains("line 1"), e.getMessage());
        assertEquals(before, DatabaseSnapshot.take(dataSource));
    }
}

package io.portcullis.it;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The packaged application (the jar here; the native binary where one can be built, with
 * {@code -Dnative}) in the prod profile: it starts against PostgreSQL with only production
 * settings, and the whole path works: admin API, token endpoint, gateway, metrics, health.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedApplicationResource.class)
class PackagedApplicationIT {
    static final int MANAGEMENT_PORT = 9001;
    static final String MANAGEMENT = "http://localhost:" + MANAGEMENT_PORT;

    static String token(String clientId, String secret, String api, String scope) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret).formParam("scope", scope)
                .post("/auth/default/api/" + api + "/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void endToEndInTheProdProfile() {
        String admin = token("portcullis-admin-it", "it-only-admin-secret-0123456789abcdefghij", "admin", "admin");
        String suffix = Long.toString(System.nanoTime(), 36);
        var as = given().header("Authorization", "Bearer " + admin).contentType("application/json");
        as.body(Map.of("id", "it-plan-" + suffix, "name", "IT")).post("/admin/v1/plans").then().statusCode(201);
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("id", "it-api-" + suffix, "name", "IT", "requestPath", "/it-api-" + suffix,
                        "upstreamUrl", MANAGEMENT + "/q/health", "authMethods", java.util.List.of("default"),
                        "plans", java.util.List.of("it-plan-" + suffix),
                        "scopes", java.util.List.of(Map.of("id", "read", "description", "Read"))))
                .post("/admin/v1/apis").then().statusCode(201);
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("id", "it-app-" + suffix, "clientType", "confidential")).post("/admin/v1/applications").then().statusCode(201);
        var subscription = given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body(Map.of("applicationId", "it-app-" + suffix, "apiId", "it-api-" + suffix, "planId", "it-plan-" + suffix))
                .post("/admin/v1/subscriptions").then().statusCode(201).extract().jsonPath();

        String token = token(subscription.getString("clientId"), subscription.getString("clientSecret"), "it-api-" + suffix, "read");
        // through the gateway to an upstream (here: this server's own liveness endpoint)
        given().header("Authorization", "Bearer " + token).get("/it-api-" + suffix + "/live").then()
                .statusCode(200).body("status", equalTo("UP"));
        given().get("/it-api-" + suffix + "/live").then().statusCode(401);

        // /q/* is on the management port only: callers of the main port never reach it
        given().get(MANAGEMENT + "/q/health/ready").then().statusCode(200);
        given().get(MANAGEMENT + "/q/metrics").then().statusCode(200).body(containsString("portcullis_tokens_issued_total"));
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(404);
        given().get("/auth/jwks").then().statusCode(200).body("keys[0].kid", notNullValue());
        given().get("/portal/apis/it-api-" + suffix).then().statusCode(200).body(containsString("/auth/default/api/it-api-" + suffix + "/token"));
    }

    /** Nothing of the demo in production: the samples are not served; the demo, the samples and the embedded database are not packaged. */
    @Test
    void noDemoNoSamplesNoEmbeddedDatabase() throws Exception {
        given().get("/sample/echo").then().statusCode(404);
        given().get("/sample/echo/x").then().statusCode(404);
        given().get("/sample/whoami").then().statusCode(404);
        given().get("/sample/issuer/token").then().statusCode(404);
        given().get("/sample/issuer/.well-known/openid-configuration").then().statusCode(404);
        java.nio.file.Path app = java.nio.file.Path.of("target", "quarkus-app", "app");
        if (java.nio.file.Files.isDirectory(app)) {
            try (var jars = java.nio.file.Files.list(app)) {
                for (java.nio.file.Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                        org.junit.jupiter.api.Assertions.assertNull(zip.getEntry("demo/portcullis-demo.yaml"), jar.toString());
                        org.junit.jupiter.api.Assertions.assertNull(zip.getEntry("io/portcullis/dev/EmbeddedPostgresLauncher.class"), jar.toString());
                        org.junit.jupiter.api.Assertions.assertNull(zip.getEntry("io/portcullis/dev/DemoBanner.class"), jar.toString());
                        org.junit.jupiter.api.Assertions.assertNull(zip.getEntry("io/portcullis/dev/DevTlsLauncher.class"), jar.toString());
                        org.junit.jupiter.api.Assertions.assertTrue(zip.stream().noneMatch(e -> e.getName().startsWith("io/portcullis/sample/")
                                && e.getName().endsWith(".class")), jar + " holds sample classes");
                    }
                }
            }
        }
    }
}

package io.portcullis;

import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No secret or token reaches a log line. The test log (DEBUG for io.portcullis) is read after a
 * round of requests that succeed and fail in every way that handles a secret; no JWT at all may
 * appear in it, from this test or any that ran before it in this JVM.
 */
@QuarkusTest
class LogHygieneTest {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}");

    @Inject
    Fixtures fixtures;

    @Test
    void noSecretOrTokenIsLogged() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        String secret = client.clientSecret();
        String token = TokenClient.token(api, client.clientId(), secret, "read");

        TokenClient.post(api, client.clientId(), secret + "typo", null).then().statusCode(401);
        TokenClient.post("no-such-api", client.clientId(), secret, null).then().statusCode(404);
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client.clientId() + ":" + secret).getBytes()))
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_secret", secret).post(Fixtures.tokenPath(api)).then().statusCode(400);
        given().contentType("application/json").body("{\"client_secret\":\"" + secret + "\", broken")
                .post(Fixtures.tokenPath(api)).then().statusCode(400);
        given().contentType("text/plain").body("client_secret=" + secret).post(Fixtures.tokenPath(api)).then().statusCode(400);
        given().header("Authorization", "Bearer " + token + "x").get("/sample/echo").then().statusCode(401);

        Path log = Path.of("target/portcullis-test.log");
        assertTrue(Files.exists(log), "the test profile writes " + log);
        String content = Files.readString(log);
        assertFalse(content.isBlank());
        assertFalse(content.contains(secret), "a client secret was logged");
        assertFalse(content.contains(token.substring(token.lastIndexOf('.') + 1)), "a token signature was logged");
        assertFalse(JWT.matcher(content).find(), "a JWT was logged");
        assertFalse(content.contains("test-only-key-encryption-secret"), "the key encryption secret was logged");
    }
}

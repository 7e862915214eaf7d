package io.portcullis.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After every @QuarkusTest has run (failsafe runs after surefire), the log of the whole test run
 * holds no token and none of the configured secrets. LogHygieneTest checks the secrets that tests
 * make at run time.
 */
class TestRunLogIT {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}");

    @Test
    void theWholeTestRunLoggedNoTokenAndNoSecret() throws Exception {
        Path log = Path.of("target/portcullis-test.log");
        assertTrue(Files.exists(log), "the test profile writes " + log);
        // the log rotates: read every file of it
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(Path.of("target"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("portcullis-test.log")).toList()) {
                all.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        String content = all.toString();
        assertTrue(content.contains("Signing with key"), "the log is the test run's");
        assertFalse(JWT.matcher(content).find(), "a JWT was logged");
        for (String secret : new String[]{"test-only-key-encryption-secret", "test-only-admin-secret", "config-file-secret-0123"}) {
            assertFalse(content.contains(secret), "a configured secret was logged");
        }
        assertFalse(content.matches("(?s).*client_secret=[A-Za-z0-9_-]{20,}.*"), "a request body with a secret was logged");
    }
}

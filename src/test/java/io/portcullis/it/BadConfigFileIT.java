package io.portcullis.it;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/contract.md#management: a bad declarative file stops the start of the packaged application,
 * with a message naming the place in the file, and changes nothing (the file is applied in one
 * transaction, so what came before the error is not kept either).
 */
class BadConfigFileIT {
    @Test
    void aBadFileStopsTheStartNamingThePlaceAndChangesNothing() throws Exception {
        Map<String, String> config = new PackagedApplicationResource().start();
        String authMethod = "bad-file-" + Long.toString(System.nanoTime(), 36);
        Path file = Files.createTempFile("portcullis-bad-", ".yaml");
        Files.writeString(file, """
                authMethods:
                  - id: %s
                    friendlyName: Comes before the error
                apis:
                  - id: bad-file-api
                    requestPath: /bad-file-api
                    upstreamUrl: http://orders_svc:8080
                    authMethods: [%s]
                """.formatted(authMethod, authMethod));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-Dquarkus.http.port=0", "-Dquarkus.management.port=0", "-Dportcullis.config-file=" + file,
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString()));
        Process app = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = app.getInputStream().readAllBytes();
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the application did not stop");
        String log = new String(output, StandardCharsets.UTF_8);
        assertNotEquals(0, app.exitValue(), log);
        assertTrue(log.contains("apis[0]") && log.contains("upstreamUrl"), "the message names the place: " + log);
        assertFalse(log.contains("Listening on"), "it must not have started serving: " + log);

        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             PreparedStatement q = c.prepareStatement("select count(*) from auth_method where id = ?")) {
            q.setString(1, authMethod);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                assertTrue(r.getInt(1) == 0, "the auth method before the error was kept");
            }
        }
    }
}

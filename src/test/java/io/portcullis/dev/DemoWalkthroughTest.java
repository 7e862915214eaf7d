package io.portcullis.dev;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a newcomer does with {@code ./mvnw quarkus:dev} on a port that is not 8080: the demo file
 * (from the class path), the curl lines of the banner run by bash exactly as printed, and the README's
 * walkthrough blocks run with {@code PORTCULLIS} set to this server, DPoP examples included.
 */
@QuarkusTest
@TestProfile(io.portcullis.support.DemoConfiguration.class)
class DemoWalkthroughTest {
    @Inject
    DemoBanner demo;

    @Inject
    io.portcullis.config.PortcullisConfig config;

    @Test
    void theBannersCurlLinesWorkAsPrinted() throws Exception {
        String banner = demo.banner();
        assertFalse(config.baseUrl().endsWith(":8080"), config.baseUrl());
        assertTrue(banner.contains(config.baseUrl() + "/auth/default/api/echo/token"), banner);
        List<String> commands = banner.lines().map(String::trim)
                .filter(l -> l.startsWith("curl ") || l.startsWith("TOKEN=") || l.startsWith("ASSERTION=")).toList();
        assertEquals(7, commands.size(), banner);

        String token = bash(commands.get(0));
        assertTrue(token.contains("\"access_token\"") && token.contains("\"scope\":\"read\""), token);

        String echo = bash(commands.get(1) + "\n" + commands.get(2));
        assertTrue(echo.contains("\"api\":\"echo\"") && echo.contains("\"clientId\":\"demo-client-echo\""), echo);

        String workload = bash(commands.get(3) + "\n" + commands.get(4));
        assertTrue(workload.contains("\"access_token\"") && workload.contains("\"scope\":\"read\""), "a secretless workload: " + workload);

        String whoami = bash(commands.get(5) + "\n" + commands.get(6));
        assertTrue(whoami.contains("\"upstream\" : \"whoami\"") && whoami.contains("\"uri\" : \"/hello?x=1\""), whoami);
        assertTrue(whoami.contains("\"x-consumer-username\" : \"demo-app$whoami\""), whoami);
        assertFalse(whoami.contains("\"authorization\""), "whoami hides credentials: " + whoami);
    }

    @Test
    void theReadmesDPoPExamplesWorkForBothDemoApis() throws Exception {
        List<String> blocks = shellBlocks(Files.readString(Path.of("README.md"))).stream()
                .filter(b -> b.contains("DPoPProof.java")).toList();
        assertTrue(blocks.stream().anyMatch(b -> b.contains("/api/echo/")), "a DPoP example for echo: " + blocks);
        assertTrue(blocks.stream().anyMatch(b -> b.contains("/api/whoami/")), "a DPoP example for whoami: " + blocks);
        for (String block : blocks) {
            String out = bash(block);
            assertFalse(out.contains("\"error\""), block + "\n->\n" + out);
            assertTrue(out.contains(block.contains("/api/echo/") ? "\"api\":\"echo\"" : "\"upstream\" : \"whoami\""), block + "\n->\n" + out);
        }
    }

    @Test
    void theWorkloadExamplesOfTheReadmeAndTheFederationPageWork() throws Exception {
        for (String doc : List.of("README.md", "docs/federation.md")) {
            List<String> blocks = shellBlocks(Files.readString(Path.of(doc))).stream()
                    .filter(b -> b.contains("/sample/issuer/token")).toList();
            assertEquals(1, blocks.size(), doc + ": " + blocks);
            String out = bash(blocks.get(0));
            assertTrue(out.contains("\"access_token\"") && out.contains("\"scope\":\"read\""), doc + ": " + blocks.get(0) + "\n->\n" + out);
        }
    }

    @Test
    void theReadmesClientCertificateExampleWorks() throws Exception {
        List<String> blocks = shellBlocks(Files.readString(Path.of("README.md"))).stream()
                .filter(b -> b.contains("--cert client.pem")).toList();
        assertEquals(1, blocks.size(), blocks.toString());
        assertTrue(demo.banner().contains(config.mtls().publicUrl().orElseThrow()), demo.banner());
        Path directory = Files.createTempDirectory("demo-mtls-");
        String out = bash(blocks.get(0), directory, Map.of("PORTCULLIS_TLS", config.mtls().publicUrl().orElseThrow(),
                "DEV_CA", DevTlsLauncher.files("test").directory().toString()));
        String[] answers = out.split("(?<=\\})\\s*(?=\\{\")");
        assertEquals(2, answers.length, out);
        assertTrue(answers[0].contains("\"api\":\"echo\"") && answers[0].contains("\"clientId\":\"demo-client-echo\""), out);
        assertTrue(answers[1].contains("invalid_token"), "without the certificate: " + out);
    }

    /** The fenced shell blocks of a Markdown text. */
    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && (line.equals("```shell") || line.equals("```sh") || line.equals("```bash"))) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /**
     * Runs a script with bash, PORTCULLIS set to this server, the JDK that runs the tests first on the
     * PATH, and a HOME of its own (DPoPProof.java keeps its key there); its standard output.
     */
    private String bash(String script) throws Exception {
        return bash(script, null, Map.of());
    }

    /** {@link #bash(String)} in a directory of its own, with more variables. */
    private String bash(String script, Path directory, Map<String, String> environment) throws Exception {
        Path home = Files.createTempDirectory("demo-home-");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "set -e -o pipefail\n" + script).redirectErrorStream(false);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        builder.environment().put("PORTCULLIS", config.baseUrl());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script did not end: " + script);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), script + "\n->\n" + text);
        return text;
    }
}

package io.portcullis.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ${…}} in the declarative file: resolved in string values only, as data, with errors that name the line. */
class ConfigFileExpressionsTest {
    @TempDir
    Path dir;

    static final Function<String, Optional<String>> CONFIG = name -> Optional.ofNullable(Map.of(
            "portcullis.demo.local-url", "http://localhost:18090",
            "team", "payments",
            "tricky", "x\n  - id: injected\nfriendlyName: {a: b}").get(name));

    ConfigFile.Model read(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return ConfigFile.read(file.toString(), CONFIG);
    }

    @Test
    void valuesDefaultsNestingAndEscapes() throws Exception {
        ConfigFile.Model model = read("a.yaml", """
                authMethods:
                  - id: default
                    friendlyName: ${team} at ${portcullis.demo.local-url}/echo
                    description: ${missing:${team:none}}-${absent:fallback} costs $$5
                  - id: second
                    friendlyName: ${tricky}
                plans:
                  - id: basic
                    name: sha256$abc
                """);
        assertEquals("payments at http://localhost:18090/echo", model.authMethods().get(0).friendlyName());
        assertEquals("payments-fallback costs $5", model.authMethods().get(0).description());
        // no ${ in it: taken as it is, as a stored hash must be
        assertEquals("sha256$abc", model.plans().get(0).name());
        // a value from the configuration stays one string: it cannot add entries or fields
        assertEquals(2, model.authMethods().size());
        assertEquals(CONFIG.apply("tricky").get(), model.authMethods().get(1).friendlyName());
    }

    @Test
    void listsAndJsonToo() throws Exception {
        ConfigFile.Model model = read("b.json", """
                {"apis": [{"id": "echo", "requestPath": "/echo", "upstreamUrl": "${portcullis.demo.local-url}/sample/echo",
                           "authMethods": ["${team}"]}]}
                """);
        assertEquals("http://localhost:18090/sample/echo", model.apis().get(0).upstreamUrl());
        assertEquals("payments", model.apis().get(0).authMethods().get(0));
    }

    @Test
    void anUnsetNameStopsTheStartNamingTheLine() {
        ConfigFile.ConfigFileException e = assertThrows(ConfigFile.ConfigFileException.class, () -> read("c.yaml", """
                authMethods:
                  - id: default
                    friendlyName: ${nobody.set.this}
                """));
        assertTrue(e.getMessage().contains("${nobody.set.this} is not set") && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void aSecretCannotBeCopiedIntoTheRegistry() {
        for (String name : new String[] {"QUARKUS_DATASOURCE_PASSWORD", "portcullis.keys.encryption-secret", "portcullis.admin.client-secret"}) {
            ConfigFile.ConfigFileException e = assertThrows(ConfigFile.ConfigFileException.class, () -> read("d.yaml",
                    "authMethods:\n  - id: default\n    description: ${" + name + ":x}\n"));
            assertTrue(e.getMessage().contains("names a") && e.getMessage().contains("line 3"), e.getMessage());
        }
        // a Quarkus setting's value may hold a credential too (a JDBC URL with its password)
        ConfigFile.ConfigFileException e = assertThrows(ConfigFile.ConfigFileException.class, () -> read("d2.yaml",
                "authMethods:\n  - id: default\n    description: ${quarkus.datasource.jdbc.url}\n"));
        assertTrue(e.getMessage().contains("names a Quarkus setting"), e.getMessage());
    }

    @Test
    void aValueOfTheWrongFormIsNotQuotedInTheError() {
        ConfigFile.ConfigFileException e = assertThrows(ConfigFile.ConfigFileException.class, () -> read("e.yaml", """
                applications:
                  - id: some-app
                    clientType: ${team}
                """));
        assertFalse(e.getMessage().contains("payments"), e.getMessage());
        assertTrue(e.getMessage().contains("applications[0].clientType"), e.getMessage());
    }
}

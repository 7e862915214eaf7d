package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets people choose: salted PBKDF2, checked once and then remembered; server-made secrets stay on SHA-256. */
class ChosenSecretsTest {
    @Test
    void aChosenSecretIsSaltedAndSlow() {
        String secret = "correct horse battery staple, but longer";
        String stored = ClientSecrets.hashChosen(secret);
        assertTrue(stored.startsWith("pbkdf2-sha256$600000$"), stored);
        assertTrue(ClientSecrets.isHash(stored), stored);
        assertNotEquals(stored, ClientSecrets.hashChosen(secret), "each hash has its own salt");
        assertTrue(ClientSecrets.matches(stored, secret));
        assertTrue(ClientSecrets.matches(stored, secret), "and again, from what was remembered");
        assertFalse(ClientSecrets.matches(stored, secret + "!"));
        assertFalse(ClientSecrets.matches(stored, ""));
        assertFalse(ClientSecrets.matches(stored, null));
        assertFalse(ClientSecrets.matches(stored.replace("600000", "600001"), secret), "the parameters are part of the hash");
    }

    @Test
    void serverMadeSecretsStayOnSha256() {
        String secret = ClientSecrets.newSecret();
        String stored = ClientSecrets.hash(secret);
        assertTrue(stored.startsWith("sha256$"));
        assertTrue(ClientSecrets.matches(stored, secret));
        assertFalse(ClientSecrets.matches(stored, "other"));
        assertFalse(ClientSecrets.isHash("pbkdf2-sha256$1$abc$def"));
    }
}

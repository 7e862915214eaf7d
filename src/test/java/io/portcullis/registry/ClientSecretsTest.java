package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSecretsTest {
    @Test
    void secretsCarry256RandomBitsAndAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = ClientSecrets.newSecret();
            assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
            assertTrue(seen.add(secret));
        }
    }

    @Test
    void hashMatchesOnlyItsSecretAndNeverContainsIt() {
        String secret = ClientSecrets.newSecret();
        String hash = ClientSecrets.hash(secret);
        assertTrue(ClientSecrets.isHash(hash));
        assertFalse(hash.contains(secret));
        assertTrue(ClientSecrets.matches(hash, secret));
        assertFalse(ClientSecrets.matches(hash, secret + "x"));
        assertFalse(ClientSecrets.matches(hash, ""));
        assertFalse(ClientSecrets.matches(null, secret), "no stored hash matches nothing");
    }

    @Test
    void clientIdsAre128BitHex() {
        assertTrue(ClientSecrets.newClientId().matches("[0-9a-f]{32}"));
    }
}

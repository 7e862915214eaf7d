package io.portcullis.token;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verified-token cache's key, and the one spelling of a token it may hold. */
class TokenKeyTest {
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.MEUCIQDx-_1lJ2bW3a8R0p2Zf5Yc9KQk4m7s0vXHcA1tUeR2bwIgV3";

    @Test
    void onlyTheCompactSerializationWithoutPadding() {
        assertTrue(AccessTokenVerifier.compactSerialization(TOKEN));
        assertFalse(AccessTokenVerifier.compactSerialization(TOKEN + "="));
        assertFalse(AccessTokenVerifier.compactSerialization(TOKEN.substring(0, 60) + "~" + TOKEN.substring(60)));
        assertFalse(AccessTokenVerifier.compactSerialization(TOKEN.replace('-', '+')));
        assertFalse(AccessTokenVerifier.compactSerialization(TOKEN + ".x.y"));
        assertFalse(AccessTokenVerifier.compactSerialization("a.b"));
        assertFalse(AccessTokenVerifier.compactSerialization(TOKEN.replace("eyJzdWIiOiJhIn0", "eyJzdWIiOi\u00e9hIn0")));
    }

    @Test
    void equalOnTheWholeTokenHashedOnItsEnd() {
        AccessTokenVerifier.TokenKey key = new AccessTokenVerifier.TokenKey(TOKEN);
        assertEquals(key, new AccessTokenVerifier.TokenKey(new String(TOKEN)));
        assertEquals(key.hashCode(), new AccessTokenVerifier.TokenKey(new String(TOKEN)).hashCode());
        // the same last 32 characters: the same hash, and still another key
        String other = "X" + TOKEN.substring(1);
        assertEquals(key.hashCode(), new AccessTokenVerifier.TokenKey(other).hashCode());
        assertNotEquals(key, new AccessTokenVerifier.TokenKey(other));
        assertNotEquals(key.hashCode(), new AccessTokenVerifier.TokenKey(TOKEN.substring(0, TOKEN.length() - 1) + "4").hashCode());
        assertEquals("ab".hashCode(), new AccessTokenVerifier.TokenKey("ab").hashCode());
    }
}

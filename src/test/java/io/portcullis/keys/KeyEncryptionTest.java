package io.portcullis.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyEncryptionTest {
    private static final byte[] PLAIN = "private key bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsUnderTheSameSecretAndKid() {
        KeyEncryption encryption = new KeyEncryption("a-secret-of-enough-length-0123456789");
        byte[] sealed = encryption.encrypt(PLAIN, "kid-1");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("private key bytes"));
        assertArrayEquals(PLAIN, encryption.decrypt(sealed, "kid-1"));
    }

    @Test
    void anotherSecretCannotDecrypt() {
        byte[] sealed = new KeyEncryption("a-secret-of-enough-length-0123456789").encrypt(PLAIN, "kid-1");
        assertThrows(KeyEncryption.KeyDecryptionException.class,
                () -> new KeyEncryption("another-secret-entirely-0123456789abc").decrypt(sealed, "kid-1"));
    }

    @Test
    void aCiphertextMovedToAnotherKidIsRefused() {
        KeyEncryption encryption = new KeyEncryption("a-secret-of-enough-length-0123456789");
        byte[] sealed = encryption.encrypt(PLAIN, "kid-1");
        assertThrows(KeyEncryption.KeyDecryptionException.class, () -> encryption.decrypt(sealed, "kid-2"));
    }

    @Test
    void tamperingIsDetected() {
        KeyEncryption encryption = new KeyEncryption("a-secret-of-enough-length-0123456789");
        byte[] sealed = encryption.encrypt(PLAIN, "kid-1");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(KeyEncryption.KeyDecryptionException.class, () -> encryption.decrypt(sealed, "kid-1"));
    }

    @Test
    void shortSecretsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KeyEncryption("short"));
    }
}

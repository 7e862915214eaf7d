package io.portcullis.keys;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Encryption at rest for private signing keys: AES-256-GCM under a key derived from the
 * configured secret, with the key id as associated data so that a ciphertext cannot be moved to
 * another row. Layout: version (1 byte) | IV (12 bytes) | ciphertext and tag.
 */
public final class KeyEncryption {
    private static final byte VERSION = 1;
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public KeyEncryption(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("portcullis.keys.encryption-secret must be at least 32 characters");
        }
        this.key = new SecretKeySpec(derive(secret), "AES");
    }

    public byte[] encrypt(byte[] plaintext, String kid) {
        try {
            byte[] iv = new byte[IV_LENGTH];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + IV_LENGTH + sealed.length).put(VERSION).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a signing key", e);
        }
    }

    /** @throws KeyDecryptionException when the secret is not the one the key was encrypted under */
    public byte[] decrypt(byte[] stored, String kid) {
        if (stored.length < 1 + IV_LENGTH + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new KeyDecryptionException(kid);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, IV_LENGTH));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, 1 + IV_LENGTH, stored.length - 1 - IV_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new KeyDecryptionException(kid);
        }
    }

    /** HKDF-style extract-and-expand with HMAC-SHA-256; the secret is high-entropy configuration, not a password. */
    private static byte[] derive(String secret) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec("portcullis-key-encryption".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update("signing-key-v1".getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    public static class KeyDecryptionException extends RuntimeException {
        public KeyDecryptionException(String kid) {
            super("cannot decrypt signing key " + kid + ": portcullis.keys.encryption-secret is not the secret it was encrypted under");
        }
    }
}

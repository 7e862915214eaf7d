package io.portcullis.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) for secrets people choose, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<derived key>} (base64url). Checking one costs a few hundred
 * milliseconds by design, so:
 * <ul>
 *   <li>a match is remembered, per stored hash, as the SHA-256 of the secret that matched: the next
 *       request with that secret is a digest comparison;</li>
 *   <li>at most {@value #CONCURRENT} derivations run at once, so that wrong guesses (which are never
 *       remembered) can take at most that many cores, however many arrive.</li>
 * </ul>
 */
final class ChosenSecrets {
    static final String PREFIX = "pbkdf2-sha256$";
    static final int ITERATIONS = 600_000;
    static final int CONCURRENT = 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final Semaphore DERIVATIONS = new Semaphore(CONCURRENT, true);
    /** stored hash to the SHA-256 of the secret that matched it. */
    private static final Cache<String, byte[]> VERIFIED = Caffeine.newBuilder().maximumSize(10_000).build();

    private ChosenSecrets() {
    }

    static String hash(String secret, byte[] salt) {
        return PREFIX + ITERATIONS + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(derive(secret, salt, ITERATIONS));
    }

    static boolean isHash(String value) {
        return value.matches("pbkdf2-sha256\\$[0-9]{6,7}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}");
    }

    static boolean matches(String stored, String secret) {
        if (!isHash(stored)) {
            return false;
        }
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        String given = secret;
        byte[] digest = ClientSecrets.sha256Of(given);
        byte[] remembered = VERIFIED.getIfPresent(stored);
        if (remembered != null && MessageDigest.isEqual(remembered, digest)) {
            return true;
        }
        String[] parts = stored.split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] expected = B64D.decode(parts[3]);
        byte[] derived;
        try {
            // a bounded wait: a flood of wrong guesses queues here rather than taking every core
            if (!DERIVATIONS.tryAcquire(10, TimeUnit.SECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            derived = derive(given, B64D.decode(parts[2]), iterations);
        } finally {
            DERIVATIONS.release();
        }
        boolean match = MessageDigest.isEqual(expected, derived);
        if (match) {
            VERIFIED.put(stored, digest);
        }
        return match;
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required of every Java platform", e);
        } finally {
            spec.clearPassword();
        }
    }
}

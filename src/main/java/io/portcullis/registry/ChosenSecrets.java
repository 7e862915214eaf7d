package io.portcullis.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Semaphore;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) for secrets people choose, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<derived key>} (base64url). Deriving one costs a few hundred
 * milliseconds by design, and must never be something a caller can make the server do at will:
 * <ul>
 *   <li>a hash this process made, or matched once, is <em>known</em>: it remembers the SHA-256 of the
 *       secret behind it, and from then on every check of that hash is a digest comparison, right or
 *       wrong. Both sources of chosen secrets (the admin client's and a declarative file's) are hashed
 *       or matched at start-up, so in practice no request ever derives;</li>
 *   <li>a hash not known yet (written by another replica since this one started) is derived at most
 *       {@value #CONCURRENT} at a time, and a check that finds the derivation busy does not wait: it
 *       says so ({@link Busy}), and the caller answers 503 rather than hold a request thread or count a
 *       failure against an honest client.</li>
 * </ul>
 */
final class ChosenSecrets {
    static final String PREFIX = "pbkdf2-sha256$";
    static final int ITERATIONS = 600_000;
    static final int CONCURRENT = 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final Semaphore DERIVATIONS = new Semaphore(CONCURRENT);
    /** Every derivation this process made, for the meter: a request that derives is the exception to watch. */
    private static final java.util.concurrent.atomic.AtomicLong DERIVED = new java.util.concurrent.atomic.AtomicLong();
    /** stored hash to the SHA-256 of the secret that matched it. */
    private static final Cache<String, byte[]> VERIFIED = Caffeine.newBuilder().maximumSize(10_000).build();

    private ChosenSecrets() {
    }

    /** The derivation is busy with another check: try again shortly. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("a chosen secret is being checked", null, false, false);
        }
    }

    static String hash(String secret, byte[] salt) {
        String stored = PREFIX + ITERATIONS + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(derive(secret, salt, ITERATIONS));
        // this process saw the secret: the hash is known from now on
        VERIFIED.put(stored, ClientSecrets.sha256Of(secret));
        return stored;
    }

    static boolean isHash(String value) {
        return value.matches("pbkdf2-sha256\\$[0-9]{6,7}\\$[A-Za-z0-9_-]{22}\\$[A-Za-z0-9_-]{43}");
    }

    static boolean matches(String stored, String secret) {
        return matches(stored, secret, false);
    }

    /** @param wait whether to wait for the derivation (start-up only: no request thread waits) */
    static boolean matches(String stored, String secret, boolean wait) {
        if (!isHash(stored)) {
            return false;
        }
        if (secret == null || secret.isEmpty()) {
            return false;
        }
        String given = secret;
        byte[] digest = ClientSecrets.sha256Of(given);
        byte[] remembered = VERIFIED.getIfPresent(stored);
        if (remembered != null) {
            // a known hash: the digest of its secret decides, right or wrong, without deriving
            return MessageDigest.isEqual(remembered, digest);
        }
        String[] parts = stored.split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        byte[] expected = B64D.decode(parts[3]);
        byte[] derived;
        if (wait) {
            DERIVATIONS.acquireUninterruptibly();
        } else if (!DERIVATIONS.tryAcquire()) {
            throw new Busy();
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

    static long derivations() {
        return DERIVED.get();
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        DERIVED.incrementAndGet();
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

package io.portcullis.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Client ids, client secrets and the stored form of secrets.
 *
 * <p>Secrets are made here with 256 bits from a CSPRNG, so no guess can succeed and a slow,
 * salted password hash buys nothing but CPU on every token request (what made Hydra's bcrypt
 * slow). A plain SHA-256 is stored instead: a database dump gives an attacker only a value whose
 * preimage is 256 random bits. Comparison is constant-time.
 */
public final class ClientSecrets {
    private static final String PREFIX = "sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** A hash no secret produces, compared against when the client id is unknown so both cases cost the same. */
    public static final String UNMATCHABLE_HASH = hash("unknown-client-" + B64URL.encodeToString(randomBytes(32)));

    private ClientSecrets() {
    }

    /** 43 characters of base64url: 256 random bits, safe in a form body and a Basic header alike. */
    public static String newSecret() {
        return B64URL.encodeToString(randomBytes(32));
    }

    /** 32 lowercase hex characters: 128 random bits. */
    public static String newClientId() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    /** The stored form of a secret the server made: SHA-256 (see above). */
    public static String hash(String secret) {
        return PREFIX + B64URL.encodeToString(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The stored form of a secret a person chose (the admin client's, or one a declarative file takes
     * from the environment), which may be guessable: PBKDF2-HMAC-SHA256 with a 128-bit salt and
     * {@value ChosenSecrets#ITERATIONS} iterations (the JDK's own, OWASP's 2023 figure; no new library
     * for a primitive every JDK ships).
     */
    public static String hashChosen(String secret) {
        return ChosenSecrets.hash(secret, randomBytes(16));
    }

    /**
     * Constant-time in the secret: digests are compared, not secrets. A PBKDF2 hash is checked once
     * and the match remembered (as the SHA-256 of the secret) so that the hot path stays at
     * microseconds; see {@link ChosenSecrets}.
     */
    /** @throws SecretCheckBusy when a chosen secret's hash must be derived and the derivation is busy */
    public static boolean matches(String storedHash, String secret) {
        if (storedHash != null && storedHash.startsWith(ChosenSecrets.PREFIX)) {
            try {
                return ChosenSecrets.matches(storedHash, secret);
            } catch (ChosenSecrets.Busy e) {
                throw new SecretCheckBusy();
            }
        }
        byte[] candidate = hash(secret).getBytes(StandardCharsets.US_ASCII);
        byte[] stored = (storedHash == null ? UNMATCHABLE_HASH : storedHash).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(candidate, stored) && storedHash != null;
    }

    /** How many PBKDF2 derivations of chosen secrets this process has made (start-up's included). */
    public static long chosenSecretDerivations() {
        return ChosenSecrets.derivations();
    }

    /** A stored hash of either kind. */
    public static boolean isHash(String value) {
        return value != null && (value.matches("sha256\\$[A-Za-z0-9_-]{43}") || ChosenSecrets.isHash(value));
    }

    /**
     * {@link #matches}, waiting for a slow hash's derivation if another is running: for start-up, where
     * the configured secrets are checked once (after which their hashes are known).
     */
    public static boolean matchesAtStartup(String storedHash, String secret) {
        if (storedHash != null && storedHash.startsWith(ChosenSecrets.PREFIX)) {
            return ChosenSecrets.matches(storedHash, secret, true);
        }
        return matches(storedHash, secret);
    }

    /** A secret could not be checked now (a slow hash was busy): neither a success nor a failure. */
    public static final class SecretCheckBusy extends RuntimeException {
        SecretCheckBusy() {
            super("the secret cannot be checked right now", null, false, false);
        }
    }

    static byte[] sha256Of(String secret) {
        return sha256(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}

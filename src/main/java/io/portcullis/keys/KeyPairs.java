package io.portcullis.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * New signing key pairs for each {@link JwsAlgorithm} (RFC 7518 section 3.3 and 3.4: RSA of at least
 * 2048 bits, P-256 for ES256; RFC 8037 for Ed25519), and the JCA key family each belongs to.
 */
public final class KeyPairs {
    private KeyPairs() {
    }

    public static KeyPair generate(String alg) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(family(alg));
        switch (alg) {
            case "RS256", "PS256" -> generator.initialize(2048, new SecureRandom());
            case "ES256" -> generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            default -> { /* Ed25519 has no parameters */ }
        }
        return generator.generateKeyPair();
    }

    static String family(String alg) {
        return switch (alg) {
            case "RS256", "PS256" -> "RSA";
            case "ES256" -> "EC";
            case "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported algorithm " + alg);
        };
    }
}

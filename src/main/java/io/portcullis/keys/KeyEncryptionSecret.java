package io.portcullis.keys;

import io.quarkus.runtime.LaunchMode;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret the private signing keys are encrypted under (docs/security.md): configured in
 * production, where every replica needs the same one; made up in dev mode and tests when none is
 * given, and kept JVM-wide so that a live reload in dev mode can still read the key it made before.
 */
final class KeyEncryptionSecret {
    private static final Logger LOG = Logger.getLogger(KeyEncryptionSecret.class);
    static final String GENERATED_SECRET_PROPERTY = "io.portcullis.generated-encryption-secret";

    private KeyEncryptionSecret() {
    }

    static String resolve(Optional<String> configured) {
        Optional<String> given = configured.filter(s -> !s.isBlank());
        if (given.isPresent()) {
            return given.get();
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("portcullis.keys.encryption-secret (PORTCULLIS_KEYS_ENCRYPTION_SECRET) is required: "
                    + "it encrypts the signing key at rest, and every replica needs the same one");
        }
        String generated = System.getProperty(GENERATED_SECRET_PROPERTY);
        if (generated == null) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            System.setProperty(GENERATED_SECRET_PROPERTY, generated);
            LOG.warn("No portcullis.keys.encryption-secret is set: generated an ephemeral one for " + LaunchMode.current()
                    + " mode. Production requires PORTCULLIS_KEYS_ENCRYPTION_SECRET.");
        }
        return generated;
    }
}

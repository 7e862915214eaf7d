package io.portcullis.keys;

import java.time.Instant;

/** A signing key's state as the admin API shows it; never a private part. */
public record KeyState(String kid, String alg, String status, Instant createdAt, Instant activatedAt, Instant retiredAt,
                       Instant publishUntil) {
    static KeyState of(SigningKey k) {
        return new KeyState(k.kid, k.alg, k.status, k.createdAt, k.activatedAt, k.retiredAt, k.publishUntil);
    }
}

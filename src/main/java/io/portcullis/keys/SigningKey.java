package io.portcullis.keys;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signing key shared by every replica; the private part is stored only encrypted. */
@Entity
@Table(name = "signing_key")
public class SigningKey extends PanacheEntityBase {
    public static final String NEXT = "next";
    public static final String ACTIVE = "active";
    public static final String RETIRED = "retired";

    @Id
    public String kid;

    @Column(nullable = false)
    public String alg;

    @Column(nullable = false)
    public String status;

    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    @Column(name = "private_key_enc", nullable = false)
    public byte[] privateKeyEncrypted;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "publish_until")
    public Instant publishUntil;
}

package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A platform whose JWTs identify workloads (docs/contract.md#federated-workload-identity): a Kubernetes
 * cluster's service-account issuer, a SPIFFE trust domain, a CI system. Exactly one key source.
 */
@Entity
@Table(name = "trusted_issuer")
public class TrustedIssuer extends PanacheEntityBase {
    public static final int DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 3600;

    @Id
    public String id;

    /** Compared exactly with a presented JWT's {@code iss}. */
    @Column(nullable = false, unique = true)
    public String issuer;

    @Column(name = "jwks_uri")
    public String jwksUri;

    /** An inline JWK set, public keys only. */
    public String jwks;

    /** Keys found through {@code {issuer}/.well-known/openid-configuration}. */
    public boolean discovery;

    @ElementCollection
    @CollectionTable(name = "trusted_issuer_audience", joinColumns = @JoinColumn(name = "trusted_issuer_id"))
    @Column(name = "audience")
    public Set<String> audiences = new LinkedHashSet<>();

    @Column(name = "max_token_lifetime_seconds")
    public int maxTokenLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

    /** A PEM trust store for the key host (an in-cluster API server's CA). */
    @Column(name = "ca_file")
    public String caFile;

    /** Sent as a bearer token to the key host, read at each fetch (kubelet rotates it). */
    @Column(name = "bearer_token_file")
    public String bearerTokenFile;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

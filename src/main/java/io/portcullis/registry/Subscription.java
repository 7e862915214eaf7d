package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * An application's access to one API under one plan. As in wicked, the credentials belong to the
 * subscription: the same application has another client id at each API.
 */
@Entity
@Table(name = "subscription")
public class Subscription extends PanacheEntityBase {
    @Id
    public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "application_id")
    public Application application;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "api_id")
    public Api api;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "plan_id")
    public Plan plan;

    public boolean approved;

    public boolean trusted;

    @Column(name = "allowed_scopes_mode", nullable = false)
    public ScopeMode allowedScopesMode = ScopeMode.ALL;

    @ElementCollection
    @CollectionTable(name = "subscription_scope", joinColumns = @JoinColumn(name = "subscription_id"))
    public Set<ScopeRef> allowedScopes = new LinkedHashSet<>();

    @Column(name = "client_id")
    public String clientId;

    /** See {@link io.portcullis.token.ClientSecrets}: only the hash is ever stored. */
    @Column(name = "client_secret_hash")
    public String clientSecretHash;

    /** The secret before the last rotation, accepted until {@link #previousSecretExpiresAt}. */
    @Column(name = "previous_secret_hash")
    public String previousSecretHash;

    @Column(name = "previous_secret_expires_at")
    public Instant previousSecretExpiresAt;

    /** private_key_jwt (RFC 7523): the client's public JWK set, inline. */
    public String jwks;

    /** private_key_jwt: where the client publishes its JWK set. */
    @Column(name = "jwks_uri")
    public String jwksUri;

    /** Claims this subscription's tokens carry besides the API's, winning per name (a JSON object). */
    @Column(name = "token_claims")
    public String tokenClaims;

    /** Shorter than the API's, or null for the API's. */
    @Column(name = "token_lifetime_seconds")
    public Integer tokenLifetimeSeconds;

    /** Workloads that authenticate with a trusted issuer's JWT instead of a secret. */
    /** RFC 8705: {@code tls_client_auth} or {@code self_signed_tls_client_auth}, or null; see {@link TlsClientAuthDefinition}. */
    @Column(name = "tls_client_auth_method")
    public String tlsClientAuthMethod;

    /** For tls_client_auth, which of the certificate's names is compared: subject_dn, san_dns, san_uri, san_ip or san_email. */
    @Column(name = "tls_client_auth_field")
    public String tlsClientAuthField;

    @Column(name = "tls_client_auth_value")
    public String tlsClientAuthValue;

    @ElementCollection
    @CollectionTable(name = "federated_identity", joinColumns = @JoinColumn(name = "subscription_id"))
    public Set<FederatedIdentity> federatedIdentities = new LinkedHashSet<>();

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

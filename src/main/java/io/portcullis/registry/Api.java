package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A protected HTTP API (docs/contract.md#model). */
@Entity
@Table(name = "api")
public class Api extends PanacheEntityBase {
    public static final int DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
    public static final int DEFAULT_UPSTREAM_TIMEOUT_SECONDS = 60;

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "request_path", nullable = false)
    public String requestPath;

    @Column(name = "upstream_url", nullable = false)
    public String upstreamUrl;

    @Column(name = "token_lifetime_seconds")
    public int tokenLifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS;

    @Column(name = "client_credentials_enabled")
    public boolean clientCredentialsEnabled = true;

    @Column(name = "hide_credentials")
    public boolean hideCredentials;

    public boolean deprecated;

    /** RFC 9449: every token of this API is bound to a key of the client's. */
    @Column(name = "dpop_required")
    public boolean dpopRequired;

    /** RFC 8705 section 3: every token of this API is bound to a client certificate. */
    @Column(name = "mtls_required")
    public boolean mtlsRequired;

    /** The typ header of this API's access tokens: {@link AccessTokenType}. */
    @Column(name = "access_token_type")
    public String accessTokenType = AccessTokenType.AT_JWT.value;

    /** Claims every token of this API carries (a JSON object); see {@link TokenClaims}. */
    @Column(name = "token_claims")
    public String tokenClaims;

    @Column(name = "upstream_timeout_seconds")
    public int upstreamTimeoutSeconds = DEFAULT_UPSTREAM_TIMEOUT_SECONDS;

    @ManyToMany
    @JoinTable(name = "api_auth_method",
            joinColumns = @JoinColumn(name = "api_id"),
            inverseJoinColumns = @JoinColumn(name = "auth_method_id"))
    public Set<AuthMethod> authMethods = new LinkedHashSet<>();

    @ManyToMany
    @JoinTable(name = "api_plan",
            joinColumns = @JoinColumn(name = "api_id"),
            inverseJoinColumns = @JoinColumn(name = "plan_id"))
    public Set<Plan> plans = new LinkedHashSet<>();

    @ElementCollection
    @CollectionTable(name = "api_scope", joinColumns = @JoinColumn(name = "api_id"))
    @OrderColumn(name = "position")
    public List<ApiScope> scopes = new ArrayList<>();

    @OneToMany(mappedBy = "api", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("pathPrefix")
    public List<ApiRoute> routes = new ArrayList<>();

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

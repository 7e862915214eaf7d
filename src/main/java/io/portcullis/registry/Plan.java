package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;

/** Terms of use of an API: whether subscriptions need approval, and an optional rate limit. */
@Entity
@Table(name = "plan")
public class Plan extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "needs_approval")
    public boolean needsApproval;

    /** Requests per minute per subscription; null means unlimited. */
    @Column(name = "rate_limit_per_minute")
    public Integer rateLimitPerMinute;

    /** Tokens per subscription per window, or null for none; see {@link TokenQuota}. */
    @Column(name = "token_quota_limit")
    public Integer tokenQuotaLimit;

    @Column(name = "token_quota_window")
    public String tokenQuotaWindow;

    @Column(name = "token_quota_mode")
    public String tokenQuotaMode;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

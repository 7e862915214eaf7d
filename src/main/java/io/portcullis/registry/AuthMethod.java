package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;

/** A way into the authorization server; its id is part of every token URL. */
@Entity
@Table(name = "auth_method")
public class AuthMethod extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "friendly_name", nullable = false)
    public String friendlyName;

    public String description;

    public boolean enabled = true;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;

import java.time.Instant;

/** A program that calls APIs. */
@Entity
@Table(name = "application")
public class Application extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "client_type", nullable = false)
    public ClientType clientType = ClientType.CONFIDENTIAL;

    @CreationTimestamp
    @Column(name = "created_at", updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at")
    public Instant updatedAt;
}

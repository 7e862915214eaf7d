package io.portcullis.registry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.util.LinkedHashSet;
import java.util.Set;

/** Requests under {@link #pathPrefix} (with one of {@link #methods}, if given) need every scope listed. */
@Entity
@Table(name = "api_route")
public class ApiRoute extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "api_id")
    public Api api;

    @Column(name = "path_prefix", nullable = false)
    public String pathPrefix;

    /** Comma-separated HTTP methods, or null for every method. */
    public String methods;

    @ElementCollection
    @CollectionTable(name = "api_route_scope", joinColumns = @JoinColumn(name = "route_id"))
    public Set<ScopeRef> scopes = new LinkedHashSet<>();
}

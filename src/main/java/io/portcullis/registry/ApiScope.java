package io.portcullis.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A scope an API defines, with the description shown on its page. */
@Embeddable
public class ApiScope {
    @Column(name = "scope_id", nullable = false)
    public String scopeId;

    public String description;

    public ApiScope() {
    }

    public ApiScope(String scopeId, String description) {
        this.scopeId = scopeId;
        this.description = description;
    }
}

package io.portcullis.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.Objects;

/**
 * A reference to one of an API's scopes. The API id is stored beside the scope id so that the
 * database's foreign key to api_scope proves the scope exists at that API.
 */
@Embeddable
public class ScopeRef {
    @Column(name = "api_id", nullable = false)
    public String apiId;

    @Column(name = "scope_id", nullable = false)
    public String scopeId;

    public ScopeRef() {
    }

    public ScopeRef(String apiId, String scopeId) {
        this.apiId = apiId;
        this.scopeId = scopeId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScopeRef other && Objects.equals(apiId, other.apiId) && Objects.equals(scopeId, other.scopeId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiId, scopeId);
    }
}

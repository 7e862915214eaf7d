package io.portcullis.registry;

import java.util.Set;
import java.util.UUID;

/** An immutable snapshot of a subscription's credentials and terms, keyed by its client id. */
public record ClientView(
        String clientId,
        String clientSecretHash,
        UUID subscriptionId,
        String applicationId,
        ClientType clientType,
        String apiId,
        String planId,
        boolean approved,
        boolean trusted,
        ScopeMode allowedScopesMode,
        Set<String> allowedScopes,
        String previousSecretHash,
        java.time.Instant previousSecretExpiresAt,
        String jwks,
        String jwksUri) {

    /** The previous secret's hash while its grace period lasts, else null. */
    public String previousSecretHashAt(java.time.Instant now) {
        return previousSecretHash != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)
                ? previousSecretHash : null;
    }

    public boolean hasPublicKeys() {
        return jwks != null || jwksUri != null;
    }

    @Override
    public String toString() {
        // records print every component; the hash is not a secret, but it has no business in a log line either
        return "ClientView[clientId=" + clientId + ", subscription=" + subscriptionId + ", api=" + apiId + "]";
    }
}

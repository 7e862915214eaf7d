package io.portcullis.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as the token endpoint and the gateway know it (the client of RFC 6749 section 2):
 * its client id, its terms and its credentials, immutable, cached by {@link Registry}.
 */
public record RegisteredClient(String clientId, UUID subscriptionId, ClientType clientType, boolean approved,
                               SubscriptionDefinition terms, Credentials credentials) {

    /**
     * What the client authenticates with: a secret's hash (and the one before a rotation, for its grace
     * period), the public keys of private_key_jwt, inline or at a URL, and the client certificate
     * credential of RFC 8705.
     */
    public record Credentials(String secretHash, String previousSecretHash, Instant previousSecretExpiresAt, String jwks,
                              String jwksUri, TlsClientAuthDefinition tlsClientAuth) {
        public static final Credentials NONE = new Credentials(null, null, null, null, null, null);

        @Override
        public String toString() {
            // hashes are not secrets, but they have no business in a log line either
            return "Credentials[secret=" + (secretHash != null) + ", jwks=" + (jwks != null) + ", jwksUri=" + jwksUri
                    + ", tlsClientAuth=" + tlsClientAuth + "]";
        }
    }

    static RegisteredClient of(Subscription s) {
        return new RegisteredClient(s.clientId, s.id, s.application.clientType, s.approved,
                new SubscriptionDefinition(s.application.id, s.api.id, s.plan.id, s.trusted, s.allowedScopesMode,
                        s.allowedScopes.stream().map(r -> r.scopeId).sorted().toList(), TokenClaims.parse(s.tokenClaims),
                        s.tokenLifetimeSeconds),
                new Credentials(s.clientSecretHash, s.previousSecretHash, s.previousSecretExpiresAt, s.jwks, s.jwksUri,
                        TlsClientAuthDefinition.of(s)));
    }

    public String applicationId() {
        return terms.applicationId();
    }

    public String apiId() {
        return terms.apiId();
    }

    public String planId() {
        return terms.planId();
    }

    public boolean trusted() {
        return Boolean.TRUE.equals(terms.trusted());
    }

    public ScopeMode allowedScopesMode() {
        return terms.allowedScopesMode();
    }

    public List<String> allowedScopes() {
        return terms.allowedScopes();
    }

    /** The subscription's claims, winning over its API's per name, or null. */
    public java.util.Map<String, Object> tokenClaims() {
        return terms.tokenClaims();
    }

    /** A lifetime shorter than its API's, or null. */
    public Integer tokenLifetimeSeconds() {
        return terms.tokenLifetimeSeconds();
    }

    public String clientSecretHash() {
        return credentials.secretHash();
    }

    public String jwks() {
        return credentials.jwks();
    }

    public String jwksUri() {
        return credentials.jwksUri();
    }

    /** The previous secret's hash while its grace period lasts, else null. */
    public String previousSecretHashAt(Instant now) {
        return credentials.previousSecretHash() != null && credentials.previousSecretExpiresAt() != null
                && now.isBefore(credentials.previousSecretExpiresAt()) ? credentials.previousSecretHash() : null;
    }

    /** The client certificate credential (RFC 8705 section 2), or null. */
    public TlsClientAuthDefinition tlsClientAuth() {
        return credentials.tlsClientAuth();
    }

    public boolean hasPublicKeys() {
        return credentials.jwks() != null || credentials.jwksUri() != null;
    }

    @Override
    public String toString() {
        // records print every component; the hash is not a secret, but it has no business in a log line either
        return "RegisteredClient[clientId=" + clientId + ", subscription=" + subscriptionId + ", api=" + apiId() + "]";
    }
}

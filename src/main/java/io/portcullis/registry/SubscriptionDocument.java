package io.portcullis.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as the admin API shows it: its terms, its state and its credentials' public parts.
 * The secret is only in the one answer that issued it (create, approve, rotate); it is never stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SubscriptionDocument {
    public final UUID id;
    public final String applicationId;
    public final String apiId;
    public final String planId;
    public final Boolean approved;
    public final Boolean trusted;
    public final ScopeMode allowedScopesMode;
    public final List<String> allowedScopes;
    public final java.util.Map<String, Object> tokenClaims;
    public final Integer tokenLifetimeSeconds;
    public final String clientId;
    public final String clientSecret;
    /** While a rotated-out secret still works. */
    public final Instant previousSecretValidUntil;
    public final String jwksUri;
    public final Boolean hasJwks;
    /** The client certificate credential (RFC 8705). */
    public final TlsClientAuthDefinition tlsClientAuth;
    /** The workloads that authenticate with a trusted issuer's JWT. */
    public final List<FederatedIdentityDefinition> federatedIdentities;
    public final Instant createdAt;

    SubscriptionDocument(Subscription s, String secret) {
        id = s.id;
        applicationId = s.application.id;
        apiId = s.api.id;
        planId = s.plan.id;
        approved = s.approved;
        trusted = s.trusted;
        allowedScopesMode = s.allowedScopesMode;
        allowedScopes = s.allowedScopes.stream().map(r -> r.scopeId).sorted().toList();
        tokenClaims = TokenClaims.parse(s.tokenClaims);
        tokenLifetimeSeconds = s.tokenLifetimeSeconds;
        clientId = s.clientId;
        clientSecret = secret;
        previousSecretValidUntil = s.previousSecretExpiresAt != null && s.previousSecretExpiresAt.isAfter(Instant.now())
                ? s.previousSecretExpiresAt : null;
        jwksUri = s.jwksUri;
        hasJwks = s.jwks != null;
        tlsClientAuth = TlsClientAuthDefinition.of(s);
        federatedIdentities = s.federatedIdentities.stream().map(FederatedIdentityDefinition::of)
                .sorted(java.util.Comparator.comparing(FederatedIdentityDefinition::trustedIssuer)
                        .thenComparing(FederatedIdentityDefinition::subject)).toList();
        createdAt = s.createdAt;
    }

    @Override
    public String toString() {
        return "SubscriptionDocument[id=" + id + ", clientId=" + clientId + "]";
    }
}

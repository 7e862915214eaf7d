package io.portcullis.registry;

import java.util.List;
import java.util.Map;

/**
 * The terms of a subscription, as the admin API and {@link SubscriptionService} take them, with its
 * token policy (docs/contract.md#token-policy); the
 * declarative file names the first three {@code application}, {@code api} and {@code plan}. A
 * replacement keeps the application and the API, and must name the scope mode
 * (docs/contract.md#management).
 */
public record SubscriptionDefinition(String applicationId, String apiId, String planId, Boolean trusted,
                                     ScopeMode allowedScopesMode, List<String> allowedScopes, Map<String, Object> tokenClaims,
                                     Integer tokenLifetimeSeconds) {
    /** Terms without token policy of their own: the API's claims and lifetime. */
    public SubscriptionDefinition(String applicationId, String apiId, String planId, Boolean trusted, ScopeMode allowedScopesMode,
                                  List<String> allowedScopes) {
        this(applicationId, apiId, planId, trusted, allowedScopesMode, allowedScopes, null, null);
    }
}

package io.portcullis.registry;

import java.util.List;

/**
 * The terms of a subscription, as the admin API and {@link SubscriptionService} take them; the
 * declarative file names the first three {@code application}, {@code api} and {@code plan}. A
 * replacement keeps the application and the API, and must name the scope mode
 * (docs/contract.md#management).
 */
public record SubscriptionDefinition(String applicationId, String apiId, String planId, Boolean trusted,
                                     ScopeMode allowedScopesMode, List<String> allowedScopes) {
}

package io.portcullis.registry;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.portcullis.registry.RegistryRules.nullToEmpty;

/**
 * Subscriptions and their approval (docs/contract.md#model): each change whole, in one transaction.
 * As in wicked, credentials belong to the subscription and are issued on approval; {@link CredentialService}
 * changes them afterwards.
 */
@ApplicationScoped
@Transactional
public class SubscriptionService {
    private final Registry registry;

    public SubscriptionService(Registry registry) {
        this.registry = registry;
    }

    /** The subscription, with {@code secret} shown when it was just issued. */
    public SubscriptionDocument find(UUID id, String secret) {
        return new SubscriptionDocument(entity(id), secret);
    }

    public Page<SubscriptionDocument> list(String applicationId, String apiId, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (applicationId != null) {
            query.append(" and application.id = :app");
            params.put("app", applicationId);
        }
        if (apiId != null) {
            query.append(" and api.id = :api");
            params.put("api", apiId);
        }
        return Page.of(Subscription.find(query.toString(), Sort.by("createdAt").and("id"), params), page, size,
                (Subscription s) -> new SubscriptionDocument(s, null));
    }

    /** Subscribes; approves at once, issuing the credentials, unless the plan needs approval. */
    public IssuedCredentials subscribe(SubscriptionDefinition definition) {
        Application app = Application.<Application>findByIdOptional(definition.applicationId())
                .orElseThrow(() -> RegistryException.notFound("application", definition.applicationId()));
        Api api = Api.<Api>findByIdOptional(definition.apiId())
                .orElseThrow(() -> RegistryException.invalid("apiId", "API '" + definition.apiId() + "' does not exist"));
        if (api.deprecated) {
            throw RegistryException.conflict("apiId", "API '" + api.id + "' is deprecated and takes no new subscriptions");
        }
        Plan plan = offeredPlan(api, definition.planId());
        if (Subscription.count("application.id = ?1 and api.id = ?2", app.id, api.id) > 0) {
            throw RegistryException.conflict("apiId", "application '" + app.id + "' is already subscribed to API '" + api.id + "'");
        }
        Subscription sub = new Subscription();
        sub.id = UUID.randomUUID();
        sub.application = app;
        sub.api = api;
        sub.plan = plan;
        writeTerms(sub, definition, definition.allowedScopesMode() == null ? ScopeMode.ALL : definition.allowedScopesMode());
        String secret = sub.plan.needsApproval ? null : CredentialService.issue(sub);
        sub.persist();
        registry.changed();
        return new IssuedCredentials(sub.id, sub.approved, sub.clientId, secret);
    }

    /**
     * Replaces a subscription's terms; its application, API and credentials stay. The scope mode has
     * no default here: a replacement that left it out would widen access to every scope.
     */
    public SubscriptionDocument replace(UUID id, SubscriptionDefinition definition) {
        if (definition.allowedScopesMode() == null) {
            throw RegistryException.invalid("allowedScopesMode", "allowedScopesMode must be given: all, none or select");
        }
        Subscription sub = entity(id);
        if (definition.planId() != null && !definition.planId().equals(sub.plan.id)) {
            sub.plan = offeredPlan(sub.api, definition.planId());
        }
        writeTerms(sub, definition, definition.allowedScopesMode());
        registry.changed();
        return new SubscriptionDocument(sub, null);
    }

    /**
     * The declarative file's subscription: created, or brought to the definition, and approved (the
     * file is the operator's approval, so this is no upsert for a caller whose subscriptions need one).
     * Returns its id.
     */
    public UUID applyApproved(SubscriptionDefinition definition) {
        Subscription existing = Subscription.find("application.id = ?1 and api.id = ?2",
                definition.applicationId(), definition.apiId()).firstResult();
        SubscriptionDefinition terms = new SubscriptionDefinition(definition.applicationId(), definition.apiId(), definition.planId(),
                definition.trusted(), definition.allowedScopesMode() == null ? ScopeMode.ALL : definition.allowedScopesMode(),
                definition.allowedScopes(), definition.tokenClaims(), definition.tokenLifetimeSeconds());
        UUID id = existing == null ? subscribe(terms).subscriptionId() : replace(existing.id, terms).id;
        if (!entity(id).approved) {
            approve(id);
        }
        return id;
    }

    /** Approves a pending subscription and issues its credentials, returned this once. */
    public IssuedCredentials approve(UUID id) {
        Subscription sub = entity(id);
        if (sub.approved) {
            throw RegistryException.conflict("approved", "subscription is already approved");
        }
        String secret = sub.clientId == null ? CredentialService.issue(sub) : null;
        sub.approved = true;
        registry.changed();
        return new IssuedCredentials(sub.id, true, sub.clientId, secret);
    }

    /** Withdraws approval; the credentials stay, but the token endpoint refuses them. */
    public void revokeApproval(UUID id) {
        entity(id).approved = false;
        registry.changed();
    }

    public void delete(UUID id) {
        if (!Subscription.deleteById(id)) {
            throw RegistryException.notFound("subscription", String.valueOf(id));
        }
        registry.changed();
    }

    static Subscription entity(UUID id) {
        return Subscription.<Subscription>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(id)));
    }

    private static Plan offeredPlan(Api api, String planId) {
        return api.plans.stream().filter(p -> p.id.equals(planId)).findFirst()
                .orElseThrow(() -> RegistryException.invalid("planId", "API '" + api.id + "' does not offer plan '" + planId + "'"));
    }

    private static void writeTerms(Subscription sub, SubscriptionDefinition definition, ScopeMode mode) {
        Set<ScopeRef> wanted = new LinkedHashSet<>();
        for (String scope : nullToEmpty(definition.allowedScopes())) {
            if (sub.api.scopes.stream().noneMatch(s -> s.scopeId.equals(scope))) {
                throw RegistryException.invalid("allowedScopes", "scope '" + scope + "' is not a scope of API '" + sub.api.id + "'");
            }
            wanted.add(new ScopeRef(sub.api.id, scope));
        }
        sub.trusted = Boolean.TRUE.equals(definition.trusted());
        sub.allowedScopesMode = mode;
        String claims = TokenClaims.stored(definition.tokenClaims(), "tokenClaims");
        if (!java.util.Objects.equals(TokenClaims.parse(claims), TokenClaims.parse(sub.tokenClaims))) {
            sub.tokenClaims = claims;
        }
        Integer lifetime = definition.tokenLifetimeSeconds();
        if (lifetime != null && (lifetime < 1 || lifetime > sub.api.tokenLifetimeSeconds)) {
            // it may shorten its API's lifetime, never lengthen it
            throw RegistryException.invalid("tokenLifetimeSeconds", "tokenLifetimeSeconds must be between 1 and "
                    + sub.api.tokenLifetimeSeconds + ", the lifetime of API '" + sub.api.id + "'");
        }
        sub.tokenLifetimeSeconds = lifetime;
        if (!wanted.equals(new java.util.HashSet<>(sub.allowedScopes))) {
            sub.allowedScopes.clear();
            sub.allowedScopes.addAll(wanted);
        }
    }
}

package io.portcullis.registry;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import static io.portcullis.registry.RegistryRules.PLAN_ID;
import static io.portcullis.registry.RegistryRules.orDefault;
import static io.portcullis.registry.RegistryRules.require;

/** Plans (docs/contract.md#model): each change whole, in one transaction. */
@ApplicationScoped
@Transactional
public class PlanService {
    private final Registry registry;

    public PlanService(Registry registry) {
        this.registry = registry;
    }

    public PlanDefinition find(String id) {
        return PlanDefinition.of(entity(id));
    }

    public Page<PlanDefinition> list(int page, int size) {
        return Page.of(Plan.findAll(Sort.by("id")), page, size, PlanDefinition::of);
    }

    public PlanDefinition create(PlanDefinition definition) {
        require(PLAN_ID, definition.id(), "id");
        if (Plan.findById(definition.id()) != null) {
            throw RegistryException.conflict("id", "plan '" + definition.id() + "' already exists");
        }
        Plan plan = new Plan();
        plan.id = definition.id();
        write(plan, definition);
        plan.persist();
        registry.changed();
        return PlanDefinition.of(plan);
    }

    public PlanDefinition replace(String id, PlanDefinition definition) {
        Plan plan = entity(id);
        write(plan, definition);
        registry.changed();
        return PlanDefinition.of(plan);
    }

    /** Creates or replaces; a definition equal to what is stored changes nothing. */
    public PlanDefinition apply(PlanDefinition definition) {
        return Plan.findById(definition.id()) == null ? create(definition) : replace(definition.id(), definition);
    }

    public void delete(String id) {
        Plan plan = entity(id);
        if (Subscription.count("plan.id", id) > 0) {
            throw RegistryException.conflict("id", "plan '" + id + "' has subscriptions");
        }
        if (Api.count("select count(a) from Api a join a.plans p where p.id = ?1", id) > 0) {
            throw RegistryException.conflict("id", "plan '" + id + "' is offered by an API");
        }
        plan.delete();
        registry.changed();
    }

    private static void write(Plan plan, PlanDefinition definition) {
        if (definition.rateLimitPerMinute() != null && definition.rateLimitPerMinute() <= 0) {
            throw RegistryException.invalid("rateLimitPerMinute", "rateLimitPerMinute must be positive");
        }
        plan.name = orDefault(definition.name(), plan.id);
        plan.description = definition.description();
        plan.needsApproval = Boolean.TRUE.equals(definition.needsApproval());
        plan.rateLimitPerMinute = definition.rateLimitPerMinute();
        TokenQuota quota = TokenQuota.checked(definition.tokenQuota());
        plan.tokenQuotaLimit = quota == null ? null : quota.limit();
        plan.tokenQuotaWindow = quota == null ? null : quota.window();
        plan.tokenQuotaMode = quota == null ? null : quota.mode();
    }

    private static Plan entity(String id) {
        return Plan.<Plan>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("plan", id));
    }
}

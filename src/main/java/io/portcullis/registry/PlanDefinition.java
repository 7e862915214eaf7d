package io.portcullis.registry;

/** A plan as the admin API, the declarative file and {@link PlanService} read and write it. */
public record PlanDefinition(String id, String name, String description, Boolean needsApproval, Integer rateLimitPerMinute,
                             TokenQuota tokenQuota) {
    static PlanDefinition of(Plan p) {
        return new PlanDefinition(p.id, p.name, p.description, p.needsApproval, p.rateLimitPerMinute, TokenQuota.of(p));
    }
}

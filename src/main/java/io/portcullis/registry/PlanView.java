package io.portcullis.registry;

/** @param rateLimitPerMinute requests per minute per subscription, or null for none */
public record PlanView(String id, String name, String description, boolean needsApproval, Integer rateLimitPerMinute,
                       TokenQuota tokenQuota) {
}

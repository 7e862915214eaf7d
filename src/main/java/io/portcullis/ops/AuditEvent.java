package io.portcullis.ops;

import java.time.Instant;

/**
 * One audit record: a token request (granted or refused) or an admin change. Holds no secret and
 * no token, by construction: nothing here is ever set from a credential.
 */
public record AuditEvent(
        Instant occurredAt,
        String kind,
        String actor,
        String action,
        String target,
        String outcome,
        String error,
        String apiId,
        String authMethodId,
        String scopesRequested,
        String scopesGranted,
        String remoteAddress,
        String requestId,
        String before,
        String after) {

    public static AuditEvent token(String actor, String apiId, String authMethodId, boolean granted, String error,
                                   String scopesRequested, String scopesGranted, String remoteAddress, String requestId) {
        return new AuditEvent(Instant.now(), "token", actor, "token", apiId, granted ? "granted" : "refused", error, apiId,
                authMethodId, scopesRequested, scopesGranted, remoteAddress, requestId, null, null);
    }

    public static AuditEvent admin(String actor, String action, String target, boolean ok, String before, String after,
                                   String remoteAddress, String requestId) {
        return new AuditEvent(Instant.now(), "admin", actor, action, target, ok ? "ok" : "failed", null, null, null, null, null,
                remoteAddress, requestId, before, after);
    }
}

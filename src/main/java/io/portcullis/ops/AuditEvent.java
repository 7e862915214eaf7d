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

    /** What a record keeps of any field a request supplied (docs/contract.md#token-endpoint): at most 1,000 characters. */
    public static final int MAX_FIELD_LENGTH = 1000;
    /** An admin change's before and after documents. */
    public static final int MAX_DOCUMENT_LENGTH = 65_536;

    /**
     * Truncated as it is captured, each field to its column (migration V5): a queue of records waiting
     * for the database must not hold what a caller sent, and a record the database would refuse must
     * not stop the batch it is in.
     */
    public AuditEvent {
        actor = cap(actor, 64);
        action = cap(action, 100);
        target = cap(target, 300);
        error = cap(error, 64);
        apiId = cap(apiId, 64);
        authMethodId = cap(authMethodId, 64);
        scopesRequested = cap(scopesRequested, MAX_FIELD_LENGTH);
        scopesGranted = cap(scopesGranted, MAX_FIELD_LENGTH);
        remoteAddress = cap(remoteAddress, 64);
        requestId = cap(requestId, 100);
        before = cap(before, MAX_DOCUMENT_LENGTH);
        after = cap(after, MAX_DOCUMENT_LENGTH);
    }

    static String cap(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        // never split a surrogate pair: the database refuses half a character
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

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

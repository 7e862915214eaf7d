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
        String after,
        String credential,
        String credentialSubject,
        Boolean quotaExceeded) {

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
        credential = cap(credential, 40);
        credentialSubject = cap(credentialSubject, 1100);
    }

    /**
     * About what this record holds in memory, counting two bytes a character (the most a Java string
     * takes): what {@link AuditLog}'s queue is bounded by besides its length.
     */
    public long retainedBytes() {
        long bytes = 128;
        for (String field : new String[]{kind, actor, action, target, outcome, error, apiId, authMethodId, scopesRequested,
                scopesGranted, remoteAddress, requestId, before, after, credential, credentialSubject}) {
            if (field != null) {
                bytes += 40 + 2L * field.length();
            }
        }
        return bytes;
    }

    static String cap(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        // never split a surrogate pair: the database refuses half a character
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    /** A token request's record: {@code outcome} granted or refused, {@code error} the OAuth error code. */
    public static Builder token(String apiId, String authMethodId, boolean granted) {
        return new Builder("token", "token", apiId).apiId(apiId).authMethodId(authMethodId).outcome(granted ? "granted" : "refused");
    }

    /** An admin change's record, with the documents before and after it. */
    public static Builder admin(String action, String target, boolean ok) {
        return new Builder("admin", action, target).outcome(ok ? "ok" : "failed");
    }

    /** Fifteen columns by position invite a swap: records are built by name. */
    public static final class Builder {
        private Instant occurredAt = Instant.now();
        private String kind;
        private String actor;
        private String action;
        private String target;
        private String outcome;
        private String error;
        private String apiId;
        private String authMethodId;
        private String scopesRequested;
        private String scopesGranted;
        private String remoteAddress;
        private String requestId;
        private String before;
        private String after;
        private String credential;
        private String credentialSubject;
        private Boolean quotaExceeded;

        private Builder(String kind, String action, String target) {
            this.kind = kind;
            this.action = action;
            this.target = target;
        }

        public Builder actor(String v) {
            actor = v;
            return this;
        }

        public Builder outcome(String v) {
            outcome = v;
            return this;
        }

        public Builder error(String v) {
            error = v;
            return this;
        }

        public Builder apiId(String v) {
            apiId = v;
            return this;
        }

        public Builder authMethodId(String v) {
            authMethodId = v;
            return this;
        }

        public Builder scopesRequested(String v) {
            scopesRequested = v;
            return this;
        }

        public Builder scopesGranted(String v) {
            scopesGranted = v;
            return this;
        }

        public Builder remoteAddress(String v) {
            remoteAddress = v;
            return this;
        }

        public Builder requestId(String v) {
            requestId = v;
            return this;
        }

        public Builder before(String v) {
            before = v;
            return this;
        }

        public Builder after(String v) {
            after = v;
            return this;
        }

        /** Which credential authenticated: a client authentication method, or {@code federated}. */
        public Builder credential(String v) {
            credential = v;
            return this;
        }

        /** For a workload: its trusted issuer's id and its subject. */
        public Builder credentialSubject(String v) {
            credentialSubject = v;
            return this;
        }

        /** A token issued over its subscription's quota in report mode. */
        public Builder quotaExceeded(Boolean v) {
            quotaExceeded = v;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(occurredAt, kind, actor, action, target, outcome, error, apiId, authMethodId, scopesRequested,
                    scopesGranted, remoteAddress, requestId, before, after, credential, credentialSubject, quotaExceeded);
        }
    }
}

package io.portcullis.ops;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** One row of the audit trail as the admin API shows it (docs/contract.md#management). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class AuditRecord {
    /** The columns, in the order the constructor reads them. */
    static final String COLUMNS = "id, occurred_at, kind, actor, action, target, outcome, error, api_id, auth_method_id, "
            + "scopes_requested, scopes_granted, remote_address, request_id, before_doc, after_doc, credential, credential_subject, quota_exceeded";

    public final long id;
    public final Instant occurredAt;
    public final String kind;
    public final String actor;
    public final String action;
    public final String target;
    public final String outcome;
    public final String error;
    public final String apiId;
    public final String authMethodId;
    public final String scopesRequested;
    public final String scopesGranted;
    public final String remoteAddress;
    public final String requestId;
    public final String before;
    public final String after;
    /** Which credential authenticated a token request: a client authentication method, or {@code federated}. */
    public final String credential;
    /** For a workload: its trusted issuer's id and its subject. */
    public final String credentialSubject;
    /** A token issued over its subscription's quota (mode report). */
    public final Boolean quotaExceeded;

    AuditRecord(ResultSet row) throws SQLException {
        id = row.getLong("id");
        occurredAt = row.getTimestamp("occurred_at").toInstant();
        kind = row.getString("kind");
        actor = row.getString("actor");
        action = row.getString("action");
        target = row.getString("target");
        outcome = row.getString("outcome");
        error = row.getString("error");
        apiId = row.getString("api_id");
        authMethodId = row.getString("auth_method_id");
        scopesRequested = row.getString("scopes_requested");
        scopesGranted = row.getString("scopes_granted");
        remoteAddress = row.getString("remote_address");
        requestId = row.getString("request_id");
        before = row.getString("before_doc");
        after = row.getString("after_doc");
        credential = row.getString("credential");
        credentialSubject = row.getString("credential_subject");
        quotaExceeded = (Boolean) row.getObject("quota_exceeded");
    }
}

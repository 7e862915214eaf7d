package io.portcullis.admin;

import io.portcullis.ops.AuditLog;
import io.portcullis.ops.AuditRecord;
import io.portcullis.registry.Page;
import io.portcullis.registry.RegistryException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The audit trail: token requests and admin changes, newest first. */
@Path("/admin/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
@SecurityRequirement(name = "admin")
@AdminOnly
public class AuditResource {
    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Read the audit trail, filtered by kind (token, admin), actor, apiId, outcome and time (ISO-8601)")
    public Page<AuditRecord> list(@QueryParam("kind") String kind, @QueryParam("actor") String actor, @QueryParam("apiId") String apiId,
                               @QueryParam("outcome") String outcome, @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        AuditLog.Filter filter = new AuditLog.Filter(kind, actor, apiId, outcome, instant("from", from), instant("to", to));
        if (page < 0 || size < 1 || size > Page.MAX_SIZE) {
            throw RegistryException.invalid(size < 1 || size > Page.MAX_SIZE ? "size" : "page",
                    "page must be 0 or more, size 1 to " + Page.MAX_SIZE);
        }
        return audit.search(filter, page, size);
    }

    private static Instant instant(String field, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw RegistryException.invalid(field, field + " must be an ISO-8601 instant such as 2026-11-26T12:00:00Z");
        }
    }
}

package io.portcullis.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.ops.AuditEvent;
import io.portcullis.ops.AuditLog;
import io.portcullis.ops.RequestLog;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.Supplier;

/**
 * The audit record of an admin change: who, what, the document before and after, and the outcome.
 * The documents are read back through the services' finders, which never hold a secret.
 */
@ApplicationScoped
public class AdminAudit {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Inject
    AuditLog audit;

    @Inject
    AdminAuthorization.Admin admin;

    @Inject
    HttpServerRequest request;

    /**
     * @param before read before the change (null for a creation)
     * @param after  read after it (null for a deletion)
     */
    public <T> T change(String action, String target, Supplier<?> before, Supplier<T> change, Supplier<?> after) {
        String beforeDoc = before == null ? null : json(readQuietly(before));
        try {
            T result = change.get();
            audit.record(AuditEvent.admin(action, target, true).actor(admin.clientId).before(beforeDoc)
                    .after(after == null ? null : json(after.get())).remoteAddress(address()).requestId(RequestLog.of(request)).build());
            return result;
        } catch (RuntimeException e) {
            audit.record(AuditEvent.admin(action, target, false).actor(admin.clientId).before(beforeDoc)
                    .remoteAddress(address()).requestId(RequestLog.of(request)).build());
            throw e;
        }
    }

    private String address() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    private static Object readQuietly(Supplier<?> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String json(Object doc) {
        if (doc == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}

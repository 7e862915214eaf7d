package io.portcullis.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.portcullis.registry.DatabaseFailures;
import io.portcullis.registry.RegistryException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Admin API errors as RFC 9457 problem details: 400 naming the field, 404, 409; never a stack trace. */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response registry(RegistryException e, io.vertx.ext.web.RoutingContext routing) {
        int status = switch (e.kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        };
        return problem(status, e.getMessage(), routing.normalizedPath(), e.field);
    }

    /** A body Jackson cannot read: name where it broke, never echo it. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unreadable(JsonProcessingException e, io.vertx.ext.web.RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/admin/")) {
            return unexpected(e, routing);
        }
        return unreadableProblem(e, routing);
    }

    static Response unreadableProblem(JsonProcessingException e, io.vertx.ext.web.RoutingContext routing) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[")
                : null;
        String detail = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
                ? "unknown field '" + u.getPropertyName() + "'"
                : e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException
                || e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                ? "a value has the wrong type"
                : "the body is not valid JSON";
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            field = u.getPropertyName();
        }
        return problem(400, detail, routing.normalizedPath(), field);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response unparsable(com.fasterxml.jackson.core.JsonParseException e, io.vertx.ext.web.RoutingContext routing) {
        return unreadable(e, routing);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, io.vertx.ext.web.RoutingContext routing) {
        return unreadable(e, routing);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response uninstantiable(com.fasterxml.jackson.databind.exc.ValueInstantiationException e, io.vertx.ext.web.RoutingContext routing) {
        return unreadable(e, routing);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER - 100)
    public Response web(WebApplicationException e, io.vertx.ext.web.RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/admin/")) {
            return e.getResponse();
        }
        return unexpected(e, routing);
    }

    /**
     * Anything unexpected outside the token endpoints (which OAuthErrorMapper, the one catch-all
     * mapper, answers in their own format): under /admin a problem document, elsewhere a JSON 500; never
     * the framework's page, and never null, which RESTEasy Reactive would send as 204 No Content.
     */
    public static Response unexpected(Throwable e, io.vertx.ext.web.RoutingContext routing) {
        if (!routing.normalizedPath().startsWith("/admin/")) {
            if (e instanceof WebApplicationException w) {
                return w.getResponse();
            }
            LOG.errorf("A request failed unexpectedly: %s", e.getClass().getName());
            LOG.debug("The unexpected failure", e);
            return Response.serverError().type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(java.util.Map.of("error", "server_error", "error_description", "The server met an unexpected condition")).build();
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            Throwable cause = w.getCause();
            if (cause instanceof JsonProcessingException json) {
                return unreadableProblem(json, routing);
            }
            int status = w.getResponse().getStatus();
            return problem(status, status == 404 ? "no such resource" : status == 405 ? "method not allowed" : "the request cannot be processed",
                    routing.normalizedPath(), null);
        }
        if (DatabaseFailures.isUnreachable(e)) {
            return Response.fromResponse(problem(503, "the database cannot be reached", routing.normalizedPath(), null))
                    .header("Retry-After", "5").build();
        }
        if (isDataException(e)) {
            // e.g. a NUL character in an id: PostgreSQL cannot hold or compare it (SQLSTATE class 22)
            return problem(400, "a value has a form the database cannot hold", routing.normalizedPath(), null);
        }
        if (isConstraintViolation(e)) {
            return problem(409, "the change conflicts with data that depends on it", routing.normalizedPath(), null);
        }
        LOG.errorf("Admin request failed: %s", e.getClass().getName());
        return problem(500, "the server met an unexpected condition", routing.normalizedPath(), null);
    }

    private static boolean isDataException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    static Response problem(int status, String detail, String instance, String field) {
        String title = switch (status) {
            case 400 -> "Invalid request";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 503 -> "Service unavailable";
            default -> "Error";
        };
        return Response.status(status).type(Problem.MEDIA_TYPE).header("Cache-Control", "no-store")
                .entity(Problem.of(status, title, detail, instance, field)).build();
    }
}

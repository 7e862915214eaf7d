package io.portcullis.token;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.regex.Pattern;

/** Renders {@link OAuthError}s as RFC 6749 section 5.2 JSON, never cached. */
public class OAuthErrorMapper {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OAuthErrorMapper.class);
    private static final Pattern TOKEN_PATH = Pattern.compile("/auth/[^/]+/api/[^/]+/(token|introspect|revoke)/?");

    @ServerExceptionMapper
    public Response map(OAuthError e) {
        return render(e);
    }

    /** docs/contract.md#token-endpoint: another method at the token endpoint is 405 with Allow: POST, in the endpoint's own error format. */
    @ServerExceptionMapper
    public Response map(NotAllowedException e, io.vertx.ext.web.RoutingContext routing) {
        if (TOKEN_PATH.matcher(routing.normalizedPath()).matches()) {
            return render(OAuthError.methodNotAllowed(routing.normalizedPath().replaceAll("/$", "").replaceAll(".*/", "")));
        }
        return e.getResponse();
    }

    /**
     * The one catch-all mapper. Anything unexpected at the token endpoint is still answered in its
     * format: JSON, not cached, and without a stack trace (docs/contract.md#token-endpoint); elsewhere
     * {@link io.portcullis.admin.ProblemMapper#unexpected} answers.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
    public Response map(Throwable e, io.vertx.ext.web.RoutingContext routing) {
        if (!TOKEN_PATH.matcher(routing.normalizedPath()).matches()) {
            return io.portcullis.admin.ProblemMapper.unexpected(e, routing);
        }
        return render(asOAuthError(e));
    }

    /**
     * Any failure at the token endpoint as the error it answers: an {@link OAuthError} as it is, a
     * body that could not be read as invalid_request, anything else as server_error, logged without
     * its message (which may quote the request).
     */
    static OAuthError asOAuthError(Throwable e) {
        if (e instanceof OAuthError error) {
            return error;
        }
        if (e instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() < 500) {
            return new OAuthError(w.getResponse().getStatus(), "invalid_request", "The request cannot be processed");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                // the client broke off, or sent what cannot be read: its fault, not ours
                LOG.debugf("Token request body unreadable: %s", t.getClass().getSimpleName());
                return OAuthError.invalidRequest("The request body could not be read");
            }
        }
        LOG.errorf("Token request failed unexpectedly: %s", e.getClass().getName());
        return OAuthError.serverError();
    }

    public static Response render(OAuthError e) {
        Response.ResponseBuilder response = Response.status(e.status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.body())
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
        e.headers.forEach(response::header);
        return response.build();
    }
}

package io.portcullis.token;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.regex.Pattern;

/** Renders {@link OAuthError}s as RFC 6749 section 5.2 JSON, never cached. */
public class OAuthErrorMapper {
    private static final Pattern TOKEN_PATH = Pattern.compile("/auth/[^/]+/api/[^/]+/token/?");

    @ServerExceptionMapper
    public Response map(OAuthError e) {
        return render(e);
    }

    /** CONTRACT section 2: another method at the token endpoint is 405 with Allow: POST, in the endpoint's own error format. */
    @ServerExceptionMapper
    public Response map(NotAllowedException e, HttpServerRequest request) {
        if (TOKEN_PATH.matcher(request.path()).matches()) {
            return render(OAuthError.methodNotAllowed());
        }
        return e.getResponse();
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

package io.portcullis.resource;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A {@link BearerError} raised in a REST resource, answered as the gateway answers it. */
public class BearerErrorMapper {
    @ServerExceptionMapper
    public Response map(BearerError e) {
        return response(e);
    }

    public static Response response(BearerError e) {
        return Response.status(e.status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", e.challenge())
                .header("Cache-Control", "no-store")
                .entity(e.body())
                .build();
    }
}

package io.portcullis.gateway;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

public class BearerErrorMapper {
    @ServerExceptionMapper
    public Response map(BearerError e) {
        return Response.status(e.status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", e.challenge())
                .header("Cache-Control", "no-store")
                .entity(e.body())
                .build();
    }
}

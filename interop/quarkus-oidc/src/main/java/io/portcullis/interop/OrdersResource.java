package io.portcullis.interop;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** A protected resource: answers with the client the token names. */
@Path("/orders")
@Authenticated
public class OrdersResource {
    @Inject
    JsonWebToken token;

    @GET
    public String caller() {
        return "client_id=" + token.getClaim("client_id") + " scope=" + token.getClaim("scope");
    }
}

package io.portcullis.keys;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /auth/jwks}: the JWK set (RFC 7517 section 5) of every key that may verify a live token. */
@Path("/auth/jwks")
public class JwksResource {
    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        String body = keys.jwksJson();
        // short, so that a key published ahead of a rotation reaches verifiers in time
        return Response.ok(body).header("Cache-Control", "public, max-age=60").build();
    }
}

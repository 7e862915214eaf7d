package io.portcullis.token;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /auth/{authMethodId}/api/{apiId}/token} (CONTRACT section 2). */
@Path("/auth/{authMethodId}/api/{apiId}/token")
public class TokenResource {
    private final ClientCredentialsGrant grant;

    public TokenResource(ClientCredentialsGrant grant) {
        this.grant = grant;
    }

    /** The body is read raw: the parser, not the framework, decides what a well-formed request is. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response token(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId,
                          HttpHeaders headers, byte[] body) {
        TokenResponse response = grant.token(authMethodId, apiId, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                headers.getRequestHeader(HttpHeaders.AUTHORIZATION), body);
        // RFC 6749 section 5.1
        // no @Produces: a client's Accept header must not turn the answer into a 406
        return Response.ok(response, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}

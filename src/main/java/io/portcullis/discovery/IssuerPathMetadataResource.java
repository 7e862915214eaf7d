package io.portcullis.discovery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The metadata at {@code {issuer}/.well-known/oauth-authorization-server}. A class of its own: JAX-RS
 * picks the resource class by its path before the method, and this path must win over the token
 * endpoints' {@code /auth/{authMethodId}/api/{apiId}}.
 */
@Path("/auth/{authMethodId}/api/{apiId}/.well-known/oauth-authorization-server")
public class IssuerPathMetadataResource {
    private final AuthorizationServerMetadataResource metadata;

    public IssuerPathMetadataResource(AuthorizationServerMetadataResource metadata) {
        this.metadata = metadata;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response issuerLocation(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId) {
        return metadata.metadata(authMethodId, apiId);
    }
}

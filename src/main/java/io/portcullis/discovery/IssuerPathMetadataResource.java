package io.portcullis.discovery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The metadata under the issuer's own path. A class of its own: JAX-RS picks the resource class by
 * its path before the method, and this path must win over the token endpoints'
 * {@code /auth/{authMethodId}/api/{apiId}}.
 *
 * <p>{@code oauth-authorization-server} is where clients that append the suffix to the issuer look
 * for RFC 8414 metadata; {@code openid-configuration} is where OpenID Connect-style resource-server
 * libraries look (Quarkus OIDC, ASP.NET Core's JwtBearer, go-oidc, Spring Security's first try).
 * RFC 8414 section 5 allows serving the same document there. It is the same document: it claims no
 * ID tokens, userinfo or authorization endpoint, because there are none.
 */
@Path("/auth/{authMethodId}/api/{apiId}/.well-known")
public class IssuerPathMetadataResource {
    private final AuthorizationServerMetadataResource metadata;

    public IssuerPathMetadataResource(AuthorizationServerMetadataResource metadata) {
        this.metadata = metadata;
    }

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public Response issuerLocation(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId) {
        return metadata.metadata(authMethodId, apiId);
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openIdLocation(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId) {
        return metadata.metadata(authMethodId, apiId);
    }
}

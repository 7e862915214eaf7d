package io.portcullis.token;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The endpoints of one authorization server, {@code /auth/{authMethodId}/api/{apiId}/…}: token
 * (docs/contract.md#token-endpoint), introspection and revocation (docs/contract.md#introspection-and-revocation). Bodies are read raw: the parser,
 * not the framework, decides what a well-formed request is. No {@code @Produces}: a client's Accept
 * header must not turn an answer into a 406.
 */
@Path("/auth/{authMethodId}/api/{apiId}")
@Consumes(MediaType.WILDCARD)
public class TokenResource {
    private final ClientCredentialsGrant grant;
    private final TokenIntrospection introspection;
    private final TokenRevocation revocation;
    private final io.portcullis.mtls.ClientCertificates certificates;
    private final io.portcullis.config.PortcullisConfig config;

    public TokenResource(ClientCredentialsGrant grant, TokenIntrospection introspection, TokenRevocation revocation,
                         io.portcullis.mtls.ClientCertificates certificates, io.portcullis.config.PortcullisConfig config) {
        this.certificates = certificates;
        this.config = config;
        this.grant = grant;
        this.introspection = introspection;
        this.revocation = revocation;
    }

    @POST
    @Path("token")
    public Response token(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId,
                          HttpHeaders headers, io.vertx.core.http.HttpServerRequest request, byte[] body) {
        // RFC 6749 section 5.1
        ClientCredentialsGrant.IssuedToken issued = grant.token(authMethodId, apiId, contentType(headers), authorization(headers), body,
                headers.getRequestHeader("DPoP"), certificates.presented(request), config.requestBaseUrl(request.isSSL()), address(request),
                io.portcullis.ops.RequestLog.of(request));
        Response response = noStore(issued.body());
        issued.headers().forEach(response.getHeaders()::putSingle);
        return response;
    }

    @POST
    @Path("introspect")
    public Response introspect(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId,
                               HttpHeaders headers, io.vertx.core.http.HttpServerRequest request, byte[] body) {
        return noStore(introspection.introspect(authMethodId, apiId, contentType(headers), authorization(headers), body,
                certificates.presented(request), address(request)));
    }

    @POST
    @Path("revoke")
    public Response revoke(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId,
                           HttpHeaders headers, io.vertx.core.http.HttpServerRequest request, byte[] body) {
        revocation.revoke(authMethodId, apiId, contentType(headers), authorization(headers), body, certificates.presented(request),
                address(request));
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private static Response noStore(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    private static String address(io.vertx.core.http.HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    private static String contentType(HttpHeaders headers) {
        return headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
    }

    private static java.util.List<String> authorization(HttpHeaders headers) {
        return headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
    }
}

package io.portcullis.gateway;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.Registry;
import io.portcullis.token.AccessTokenIssuer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 9728 protected resource metadata, per API, at {@code /.well-known/oauth-protected-resource{requestPath}}. */
@Path("/.well-known/oauth-protected-resource")
public class ProtectedResourceMetadataResource {
    private final Registry registry;
    private final AccessTokenIssuer issuer;
    private final PortcullisConfig config;

    public ProtectedResourceMetadataResource(Registry registry, AccessTokenIssuer issuer, PortcullisConfig config) {
        this.registry = registry;
        this.issuer = issuer;
        this.config = config;
    }

    @GET
    @Path("{requestPath: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata(@PathParam("requestPath") String requestPath) {
        String path = "/" + requestPath;
        ApiView api = registry.snapshot().apis().values().stream()
                .filter(a -> a.requestPath().equals(path))
                // the built-in admin API is for operators, not advertised
                .filter(a -> !io.portcullis.registry.RegistryRules.BUILTIN_ADMIN_API.equals(a.id()))
                .findFirst()
                .orElseThrow(NotFoundException::new);
        List<String> servers = api.authMethodIds().stream().sorted()
                .filter(id -> registry.authMethod(id).map(AuthMethodView::enabled).orElse(false))
                .map(id -> issuer.issuer(id, api.id()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        // section 3.3: the resource identifier, which is also the RFC 8707 resource parameter's value
        body.put("resource", config.resourceIdentifier(api.requestPath()));
        body.put("authorization_servers", servers);
        body.put("scopes_supported", List.copyOf(api.scopes().keySet()));
        body.put("bearer_methods_supported", List.of("header"));
        // RFC 9728 section 2: this resource accepts certificate-bound tokens (and, with mtlsRequired, only those)
        body.put("tls_client_certificate_bound_access_tokens", true);
        if (api.dpopRequired()) {
            body.put("dpop_bound_access_tokens_required", true);
        }
        body.put("resource_name", api.name());
        return Response.ok(body).header("Cache-Control", "public, max-age=60").build();
    }
}

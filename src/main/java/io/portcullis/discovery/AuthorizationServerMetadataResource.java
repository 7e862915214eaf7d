package io.portcullis.discovery;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.AuthMethodView;
import io.portcullis.registry.Registry;
import io.portcullis.token.AccessTokenIssuer;
import io.portcullis.token.ClientAuthenticationMethod;
import io.portcullis.token.ClientCredentialsGrant;
import io.portcullis.token.OAuthError;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8414 authorization server metadata, one issuer per auth method and API, where section 3.1
 * puts it for an issuer with a path. {@link IssuerPathMetadataResource} serves the same document at
 * the issuer's own path, where OpenID-style clients look.
 */
@Path("/.well-known/oauth-authorization-server")
@Produces(MediaType.APPLICATION_JSON)
public class AuthorizationServerMetadataResource {
    private final Registry registry;
    private final AccessTokenIssuer issuer;
    private final PortcullisConfig config;
    private final SigningKeys keys;

    public AuthorizationServerMetadataResource(Registry registry, AccessTokenIssuer issuer, PortcullisConfig config, SigningKeys keys) {
        this.registry = registry;
        this.issuer = issuer;
        this.config = config;
        this.keys = keys;
    }

    @GET
    @Path("auth/{authMethodId}/api/{apiId}")
    public Response rfc8414Location(@PathParam("authMethodId") String authMethodId, @PathParam("apiId") String apiId) {
        return metadata(authMethodId, apiId);
    }

    Response metadata(String authMethodId, String apiId) {
        AuthMethodView authMethod = registry.authMethod(authMethodId).filter(AuthMethodView::enabled)
                .orElseThrow(() -> OAuthError.notFound("Unknown auth method"));
        ApiView api = registry.api(apiId).filter(a -> a.accepts(authMethod.id()))
                .orElseThrow(() -> OAuthError.notFound("Unknown API, or one that does not accept this auth method"));
        String iss = issuer.issuer(authMethod.id(), api.id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", iss);
        body.put("token_endpoint", iss + "/token");
        body.put("jwks_uri", config.baseUrl() + "/auth/jwks");
        body.put("scopes_supported", List.copyOf(api.scopes().keySet()));
        // RFC 8414 requires the member; there is no authorization endpoint, so no response type
        body.put("response_types_supported", List.of());
        body.put("grant_types_supported", api.clientCredentialsEnabled() ? List.of(ClientCredentialsGrant.GRANT_TYPE) : List.of());
        List<String> authMethods = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.value,
                ClientAuthenticationMethod.CLIENT_SECRET_POST.value, ClientAuthenticationMethod.PRIVATE_KEY_JWT.value,
                ClientAuthenticationMethod.TLS_CLIENT_AUTH.value, ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH.value);
        List<String> assertionAlgorithms = io.portcullis.keys.JwsAlgorithm.NAMES.stream().sorted().toList();
        body.put("token_endpoint_auth_methods_supported", authMethods);
        body.put("token_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        body.put("introspection_endpoint", iss + "/introspect");
        body.put("introspection_endpoint_auth_methods_supported", authMethods);
        body.put("introspection_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        body.put("revocation_endpoint", iss + "/revoke");
        body.put("revocation_endpoint_auth_methods_supported", authMethods);
        body.put("revocation_endpoint_auth_signing_alg_values_supported", assertionAlgorithms);
        body.put("dpop_signing_alg_values_supported", io.portcullis.keys.JwsAlgorithm.NAMES);
        // RFC 8705 sections 3.3 and 5
        body.put("tls_client_certificate_bound_access_tokens", true);
        config.mtlsAliasBaseUrl().ifPresent(alias -> {
            String aliasIssuer = alias + iss.substring(config.baseUrl().length());
            Map<String, String> aliases = new LinkedHashMap<>();
            aliases.put("token_endpoint", aliasIssuer + "/token");
            aliases.put("introspection_endpoint", aliasIssuer + "/introspect");
            aliases.put("revocation_endpoint", aliasIssuer + "/revoke");
            body.put("mtls_endpoint_aliases", aliases);
        });
        // the algorithm access tokens (RFC 9068) are signed with now
        body.put("access_token_signing_alg_values_supported", List.of(keys.current().alg()));
        return Response.ok(body).header("Cache-Control", "public, max-age=60").build();
    }
}

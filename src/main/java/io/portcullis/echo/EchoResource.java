package io.portcullis.echo;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.gateway.BearerError;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.Registry;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's {@code echo} API: a resource server in this process that trusts Portcullis the way
 * an independent one would, by verifying bearer tokens (RFC 6750) with SmallRye JWT against
 * {@code /auth/jwks}. It answers with who called and what it sent.
 */
@Path(EchoResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
public class EchoResource {
    public static final String API_ID = "echo";
    /** Where the resource lives; the gateway serves the echo API at /echo and forwards here. */
    public static final String PATH = "/sample/echo";

    private final JWTParser parser;
    private final Registry registry;
    private final PortcullisConfig config;
    private final JWTAuthContextInfo verification;

    public EchoResource(JWTParser parser, Registry registry, PortcullisConfig config) {
        this.parser = parser;
        this.registry = registry;
        this.config = config;
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        info.setPublicKeyLocation(config.echo().jwksUrl());
        info.setExpectedAudience(Set.of(API_ID));
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.PS256,
                SignatureAlgorithm.ES256, SignatureAlgorithm.EDDSA));
        // a key rotated in is fetched at once rather than after the refresh interval
        info.setForcedJwksRefreshInterval(1);
        this.verification = info;
    }

    @GET
    public Map<String, Object> get(HttpHeaders headers, UriInfo uri) {
        return echo("GET", headers, uri);
    }

    @GET
    @Path("{rest: .+}")
    public Map<String, Object> getSub(HttpHeaders headers, UriInfo uri) {
        return echo("GET", headers, uri);
    }

    @POST
    public Map<String, Object> post(HttpHeaders headers, UriInfo uri) {
        return echo("POST", headers, uri);
    }

    @POST
    @Path("{rest: .+}")
    public Map<String, Object> postSub(HttpHeaders headers, UriInfo uri) {
        return echo("POST", headers, uri);
    }

    @PUT
    @Path("{rest: .*}")
    public Map<String, Object> put(HttpHeaders headers, UriInfo uri) {
        return echo("PUT", headers, uri);
    }

    @PATCH
    @Path("{rest: .*}")
    public Map<String, Object> patch(HttpHeaders headers, UriInfo uri) {
        return echo("PATCH", headers, uri);
    }

    @DELETE
    @Path("{rest: .*}")
    public Map<String, Object> delete(HttpHeaders headers, UriInfo uri) {
        return echo("DELETE", headers, uri);
    }

    private Map<String, Object> echo(String method, HttpHeaders headers, UriInfo uri) {
        JsonWebToken token = verify(headers.getRequestHeader(HttpHeaders.AUTHORIZATION));
        String path = "/" + uri.getPath().substring(PATH.length()).replaceFirst("^/", "");
        ApiView api = registry.api(API_ID).orElse(null);
        Set<String> granted = token.containsClaim("scope")
                ? Set.copyOf(Arrays.asList(token.<String>getClaim("scope").split(" ")))
                : Set.of();
        if (api != null) {
            Set<String> required = api.requiredScopes(method, path);
            if (!granted.containsAll(required)) {
                throw BearerError.insufficientScope(API_ID, required);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api", API_ID);
        body.put("clientId", token.getClaim("client_id"));
        body.put("application", token.getClaim("application"));
        body.put("subscription", token.getClaim("subscription"));
        body.put("plan", token.getClaim("plan"));
        body.put("scopes", granted.stream().sorted().toList());
        body.put("method", method);
        body.put("path", path);
        Map<String, String> received = new TreeMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)) {
                received.put(name.toLowerCase(), String.join(", ", values));
            }
        });
        body.put("headers", received);
        return body;
    }

    private static boolean isAccessTokenType(String jwt) {
        try {
            String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                    java.nio.charset.StandardCharsets.UTF_8);
            Object typ = org.jose4j.json.JsonUtil.parseJson(header).get("typ");
            return "at+jwt".equals(typ) || "application/at+jwt".equals(typ);
        } catch (RuntimeException | org.jose4j.lang.JoseException e) {
            return false;
        }
    }

    /** RFC 6750 section 2.1 presentation; section 3.1 errors. */
    private JsonWebToken verify(List<String> authorization) {
        if (authorization == null || authorization.isEmpty()) {
            throw BearerError.missing(API_ID);
        }
        if (authorization.size() > 1) {
            throw BearerError.malformed(API_ID, "The Authorization header is given more than once");
        }
        String presented = io.portcullis.gateway.GatewayPolicy.credentials(authorization.get(0), "Bearer");
        if (presented == null) {
            throw authorization.get(0).regionMatches(true, 0, "Bearer", 0, 6)
                    ? BearerError.invalidToken(API_ID, "The access token is malformed")
                    : BearerError.missing(API_ID);
        }
        JsonWebToken token;
        try {
            token = parser.parse(presented, verification);
        } catch (ParseException e) {
            throw BearerError.invalidToken(API_ID, "The access token is invalid or has expired");
        }
        // RFC 9068 section 4: a resource server refuses JWTs that are not access tokens
        if (!isAccessTokenType(presented)) {
            throw BearerError.invalidToken(API_ID, "The token is not an access token");
        }
        // the issuer must be one of this server's token endpoints for this API
        String iss = token.getIssuer();
        String expected = io.portcullis.token.AccessTokenIssuer.issuer(config.baseUrl(), token.getClaim("auth_method"), API_ID);
        if (iss == null || !iss.equals(expected)) {
            throw BearerError.invalidToken(API_ID, "The access token was not issued for this API");
        }
        return token;
    }
}

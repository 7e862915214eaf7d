package io.portcullis.sample;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.resource.BearerError;
import io.portcullis.resource.AccessTokenRules;
import io.portcullis.token.DPoPProofs;
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
import jakarta.ws.rs.core.Request;
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
 * an independent one would, by verifying access tokens with SmallRye JWT against {@code /auth/jwks}:
 * bearer tokens (RFC 6750) and DPoP-bound ones (RFC 9449 section 7), with a replay store of its own,
 * as a resource server behind the gateway has. It answers with who called and what it sent.
 * Dev mode and tests only: a production build does not serve it.
 */
@Path(EchoResource.PATH)
@io.quarkus.arc.profile.IfBuildProfile(anyOf = {"dev", "test"})
@Produces(MediaType.APPLICATION_JSON)
public class EchoResource {
    public static final String API_ID = "echo";
    /** Where the resource lives; the gateway serves the echo API at /echo and forwards here. */
    public static final String PATH = "/sample/echo";

    private final JWTParser parser;
    private final Registry registry;
    private final PortcullisConfig config;
    private final JWTAuthContextInfo verification;
    /** The jtis of DPoP proofs this resource has accepted, each until it can no longer be valid. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> seenProofs = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .expireAfterWrite(java.time.Duration.ofSeconds(DPoPProofs.MAX_AGE_SECONDS + 10)).maximumSize(100_000).build();

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

    // One method per verb, for the resource and every path beneath it. The method comes from the
    // request: JAX-RS answers HEAD with the GET method, and a DPoP proof names the real one.
    @GET
    @Path("{rest: .*}")
    public Map<String, Object> get(HttpHeaders headers, UriInfo uri, Request request) {
        return echo(request.getMethod(), headers, uri);
    }

    @POST
    @Path("{rest: .*}")
    public Map<String, Object> post(HttpHeaders headers, UriInfo uri, Request request) {
        return echo(request.getMethod(), headers, uri);
    }

    @PUT
    @Path("{rest: .*}")
    public Map<String, Object> put(HttpHeaders headers, UriInfo uri, Request request) {
        return echo(request.getMethod(), headers, uri);
    }

    @PATCH
    @Path("{rest: .*}")
    public Map<String, Object> patch(HttpHeaders headers, UriInfo uri, Request request) {
        return echo(request.getMethod(), headers, uri);
    }

    @DELETE
    @Path("{rest: .*}")
    public Map<String, Object> delete(HttpHeaders headers, UriInfo uri, Request request) {
        return echo(request.getMethod(), headers, uri);
    }

    private Map<String, Object> echo(String method, HttpHeaders headers, UriInfo uri) {
        JsonWebToken token = verify(method, headers, uri);
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

    /** RFC 9068 section 4: the typ the echo API's tokens carry (at+jwt, unless the API chose JWT). */
    private boolean isAccessTokenType(String jwt) {
        try {
            String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                    java.nio.charset.StandardCharsets.UTF_8);
            Object typ = org.jose4j.json.JsonUtil.parseJson(header).get("typ");
            io.portcullis.registry.AccessTokenType expected = registry.api(API_ID).map(ApiView::accessTokenType)
                    .orElse(io.portcullis.registry.AccessTokenType.AT_JWT);
            return typ instanceof String t && io.portcullis.registry.AccessTokenType.ofHeader(t) == expected;
        } catch (RuntimeException | org.jose4j.lang.JoseException e) {
            return false;
        }
    }

    /** RFC 6750 section 2.1 and RFC 9449 section 7.1 presentation; RFC 6750 section 3.1 errors. */
    private JsonWebToken verify(String method, HttpHeaders headers, UriInfo uri) {
        AccessTokenRules.Presentation presented = AccessTokenRules.presentation(headers.getRequestHeader(HttpHeaders.AUTHORIZATION), API_ID);
        JsonWebToken token;
        try {
            token = parser.parse(presented.token(), verification);
        } catch (ParseException e) {
            throw BearerError.invalidToken(API_ID, "The access token is invalid or has expired");
        }
        // RFC 9068 section 4: a resource server refuses JWTs that are not access tokens
        if (!isAccessTokenType(presented.token())) {
            throw BearerError.invalidToken(API_ID, "The token is not an access token");
        }
        // the issuer must be one of this server's token endpoints for this API
        String iss = token.getIssuer();
        String expected = io.portcullis.token.IssuerIdentifier.of(config.baseUrl(), String.valueOf((Object) token.getClaim("auth_method")), API_ID);
        if (iss == null || !iss.equals(expected)) {
            throw BearerError.invalidToken(API_ID, "The access token was not issued for this API");
        }
        checkProofOfPossession(token, presented, method, headers, uri);
        return token;
    }

    /** RFC 9449 section 7.1: a bound token only with the DPoP scheme and a proof of its key for this request. */
    private void checkProofOfPossession(JsonWebToken token, AccessTokenRules.Presentation presented, String method,
                                        HttpHeaders headers, UriInfo uri) {
        Object cnf = token.getClaim("cnf");
        String jkt = confirmation(cnf, "jkt");
        String x5t = confirmation(cnf, "x5t#S256");
        if (cnf != null && jkt == null && x5t == null) {
            throw BearerError.invalidToken(API_ID, "The access token is bound in a way this resource does not know");
        }
        // RFC 8705 section 3: the certificate is checked where TLS ends. This sample sits behind the
        // gateway, which checked it and does not pass it on, as an upstream behind a TLS-terminating
        // gateway is. A real upstream trusts that because only the gateway can reach it; this dev-mode
        // sample can be called directly, and the Via header it looks at is only a demonstration of
        // that trust, which a direct caller could forge.
        if (x5t != null && headers.getRequestHeaders().getOrDefault("Via", List.of()).stream().noneMatch(v -> v.endsWith(" portcullis"))) {
            throw BearerError.invalidToken(API_ID, "The access token is bound to a client certificate: call this API through the gateway");
        }
        if (jkt == null) {
            if (presented.dpop()) {
                throw BearerError.dpop(API_ID, "invalid_token", "The access token is not bound to a DPoP key");
            }
            return;
        }
        if (!presented.dpop()) {
            throw BearerError.dpop(API_ID, "invalid_token", "The access token is bound to a key: present it with the DPoP scheme and a proof");
        }
        DPoPProofs.Proof proof;
        try {
            proof = DPoPProofs.check(headers.getRequestHeader("DPoP"), method, requestUrl(headers, uri), presented.token(),
                    java.time.Instant.now().getEpochSecond(), this::firstUse);
        } catch (DPoPProofs.InvalidProofException e) {
            throw BearerError.dpop(API_ID, "invalid_dpop_proof", e.getMessage());
        }
        if (!jkt.equals(proof.jkt())) {
            throw BearerError.dpop(API_ID, "invalid_dpop_proof", "The DPoP proof is signed by another key than the token is bound to");
        }
    }

    /** RFC 7800 section 3.1: a member of cnf (jkt, x5t#S256), however the JWT library hands over the cnf object. */
    private static String confirmation(Object cnf, String member) {
        Object value = cnf instanceof jakarta.json.JsonObject json ? json.get(member) : cnf instanceof Map<?, ?> map ? map.get(member) : null;
        return value instanceof jakarta.json.JsonString string ? string.getString() : value instanceof String string ? string : null;
    }

    /**
     * The URL the caller used (the proof's htu): behind the gateway, the API's public URL and the
     * path in it, which the gateway forwards; called directly, this resource's own URL.
     */
    private String requestUrl(HttpHeaders headers, UriInfo uri) {
        String rawPath = uri.getRequestUri().getRawPath();
        String rest = rawPath.startsWith(PATH) ? rawPath.substring(PATH.length()) : rawPath;
        ApiView api = registry.api(API_ID).orElse(null);
        if (headers.getHeaderString("X-Forwarded-Host") != null && api != null) {
            return config.resourceIdentifier(api.requestPath()) + rest;
        }
        return config.baseUrl() + rawPath;
    }

    private boolean firstUse(String jkt, String jti, long expiresAtEpochSecond) {
        return seenProofs.asMap().putIfAbsent(jkt + " " + jti, Boolean.TRUE) == null;
    }
}

package io.portcullis.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * The token endpoint's POST (RFC 6749 section 3.2, docs/contract.md#token-endpoint) as a Vert.x route
 * ahead of the REST layer, the way the gateway runs: the grant itself ({@link ClientCredentialsGrant})
 * is the same, on a worker thread as before.
 *
 * <p>Why not the REST resource: a JFR profile of a warm token request had the REST layer's own work
 * (Quarkus's URI-template and authentication filters, the resource dispatch, media-type negotiation
 * and writer lookup, the request scope) at about a sixth of its CPU, more than the ES256 signature.
 * {@link TokenResource#token} stays for what this route does not take (a path with a trailing slash
 * or an encoded character), and keeps the 405 for other methods.
 */
@ApplicationScoped
public class TokenRoute {
    private static final Logger LOG = Logger.getLogger(TokenRoute.class);
    /** After the gateway: an API's request path never starts with /auth/ (RegistryRules). */
    static final int ORDER = io.portcullis.ops.RequestLog.ORDER + 2;
    private static final String PREFIX = "/auth/";
    private static final String API = "/api/";
    private static final String SUFFIX = "/token";

    private final ClientCredentialsGrant grant;
    private final io.portcullis.mtls.ClientCertificates certificates;
    private final io.portcullis.config.PortcullisConfig config;
    private final ObjectMapper json;
    /** Quarkus's own limit, which its body handler would apply after this route. */
    private final long maxBodySize;

    public TokenRoute(ClientCredentialsGrant grant, io.portcullis.mtls.ClientCertificates certificates,
                      io.portcullis.config.PortcullisConfig config, ObjectMapper json,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.grant = grant;
        this.certificates = certificates;
        this.config = config;
        this.json = json;
        this.maxBodySize = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    /**
     * {@code /auth/{authMethodId}/api/{apiId}/token} with segments of the characters registry ids are
     * made of ({@code [A-Za-z0-9_-]}), or null: anything else (encoded characters, dot segments, more
     * segments, a trailing slash) is left to the REST resource, which decodes it as it always has.
     */
    static String[] endpoint(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            return null;
        }
        int api = path.indexOf(API, PREFIX.length());
        if (api <= PREFIX.length()) {
            return null;
        }
        String authMethodId = path.substring(PREFIX.length(), api);
        String apiId = path.substring(api + API.length(), path.length() - SUFFIX.length());
        return plain(authMethodId) && plain(apiId) ? new String[]{authMethodId, apiId} : null;
    }

    private static boolean plain(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String[] endpoint = request.method() == HttpMethod.POST ? endpoint(request.path()) : null;
        if (endpoint == null) {
            ctx.next();
            return;
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && tooLarge(declared)) {
            refuseTooLarge(request.response());
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxBodySize) {
                refused[0] = true;
                refuseTooLarge(request.response());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.debugf("Token request body unreadable: %s", e.getClass().getSimpleName()));
        request.endHandler(v -> {
            if (!refused[0]) {
                issue(ctx, endpoint[0], endpoint[1], body.getBytes());
            }
        });
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            // Vert.x's codec has refused a malformed length before any route sees it
            return false;
        }
    }

    /** As Quarkus's HTTP layer answers it (docs/contract.md#token-endpoint: 413 from the HTTP layer). */
    private static void refuseTooLarge(HttpServerResponse response) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(v -> response.close());
        response.end();
    }

    private void issue(RoutingContext ctx, String authMethodId, String apiId, byte[] body) {
        HttpServerRequest request = ctx.request();
        List<String> contentTypes = request.headers().getAll(HttpHeaders.CONTENT_TYPE);
        // JAX-RS's getHeaderString, which the resource used: repeated values joined with commas
        String contentType = contentTypes.isEmpty() ? null : String.join(",", contentTypes);
        List<String> authorization = request.headers().getAll(HttpHeaders.AUTHORIZATION);
        List<String> dpop = request.headers().getAll("DPoP");
        io.portcullis.mtls.ClientCertificate certificate = certificates.presented(request);
        String baseUrl = config.requestBaseUrl(request.isSSL());
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String requestId = io.portcullis.ops.RequestLog.of(request);
        ctx.vertx().<ClientCredentialsGrant.IssuedToken>executeBlocking(() -> {
            ManagedContext scope = Arc.container().requestContext();
            scope.activate();
            try {
                return grant.token(authMethodId, apiId, contentType, authorization, body, dpop, certificate, baseUrl, address,
                        requestId);
            } finally {
                scope.terminate();
            }
        }, false).onComplete(done -> {
            HttpServerResponse response = ctx.response();
            if (response.closed() || response.ended()) {
                return;
            }
            if (done.succeeded()) {
                ClientCredentialsGrant.IssuedToken issued = done.result();
                issued.headers().forEach(response::putHeader);
                answer(response, 200, issued.body());
            } else {
                OAuthError error = OAuthErrorMapper.asOAuthError(done.cause());
                error.headers.forEach(response::putHeader);
                answer(response, error.status, error.body());
            }
        });
    }

    /** RFC 6749 section 5.1: JSON, never cached. */
    private void answer(HttpServerResponse response, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.errorf("Token response could not be written: %s", e.getClass().getName());
            status = 500;
            bytes = json.valueToTree(OAuthError.serverError().body()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("Pragma", "no-cache")
                .end(Buffer.buffer(bytes));
    }
}

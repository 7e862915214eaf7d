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
import java.util.Map;
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
    /** Token request bodies held in memory at once, all connections together. */
    static final long IN_FLIGHT_BUDGET = 16L * 1024 * 1024;

    private final ClientCredentialsGrant grant;
    private final io.portcullis.mtls.ClientCertificates certificates;
    private final io.portcullis.config.PortcullisConfig config;
    private final ObjectMapper json;
    private final io.portcullis.ops.Metrics metrics;
    /** Quarkus's own limit, which its body handler would apply after this route. */
    private final long maxBodySize;
    /** How long a body may take to arrive once it began ({@code portcullis.token-endpoint.body-deadline}). */
    private final long bodyDeadlineMillis;
    private final io.portcullis.ops.MemoryBudget inFlight = new io.portcullis.ops.MemoryBudget(IN_FLIGHT_BUDGET);
    private volatile boolean overBudget;

    public TokenRoute(ClientCredentialsGrant grant, io.portcullis.mtls.ClientCertificates certificates,
                      io.portcullis.config.PortcullisConfig config, ObjectMapper json, io.portcullis.ops.Metrics metrics,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.grant = grant;
        this.metrics = metrics;
        this.certificates = certificates;
        this.config = config;
        this.json = json;
        this.maxBodySize = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.bodyDeadlineMillis = Math.max(1, config.tokenEndpoint().bodyDeadline().toMillis());
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
            refuse(request.response(), 413, null, endpoint[0], endpoint[1], System.nanoTime());
            return;
        }
        new BodyReader(ctx, endpoint[0], endpoint[1]).start();
    }

    /**
     * One request's body, read into memory on the event loop. A defence must not become an attack:
     * bodies in flight share a budget ({@link #IN_FLIGHT_BUDGET}) and each must arrive within
     * {@code portcullis.token-endpoint.body-deadline}, so that slow or large bodies on many connections cannot fill the
     * heap, and hold their share only for a bounded time. An honest token request is a few hundred
     * bytes, sent at once.
     */
    private final class BodyReader {
        private final RoutingContext ctx;
        private final String authMethodId;
        private final String apiId;
        private final long start = System.nanoTime();
        /** What has arrived; its length is this body's share of the budget until {@link #finish}. */
        private final Buffer body = Buffer.buffer();
        private long deadline = -1;
        private boolean done;

        BodyReader(RoutingContext ctx, String authMethodId, String apiId) {
            this.ctx = ctx;
            this.authMethodId = authMethodId;
            this.apiId = apiId;
        }

        void start() {
            HttpServerRequest request = ctx.request();
            request.handler(this::chunk);
            request.exceptionHandler(e -> {
                LOG.debugf("Token request body unreadable: %s", e.getClass().getSimpleName());
                finish();
            });
            // the caller went away mid-body: its share of the budget is released at once
            ctx.response().closeHandler(v -> finish());
            request.endHandler(v -> {
                if (!done) {
                    finish();
                    issue(ctx, authMethodId, apiId, body.getBytes());
                }
            });
        }

        private void chunk(Buffer chunk) {
            if (done) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxBodySize) {
                finish();
                refuse(ctx.response(), 413, null, authMethodId, apiId, start);
                return;
            }
            if (!inFlight.tryTake(chunk.length())) {
                finish();
                if (!overBudget) {
                    // once per episode, not per refusal: a flood must not become a flood of log lines
                    overBudget = true;
                    LOG.warnf("Token requests refused with 503: %d bytes of token request bodies are being received", inFlight.held());
                }
                refuse(ctx.response(), 503, OAuthError.temporarilyUnavailable(
                        "The authorization server is receiving too many request bodies; try again shortly"), authMethodId, apiId, start);
                return;
            }
            body.appendBuffer(chunk);
            if (deadline < 0) {
                // armed by the first chunk that does not end the body (a body sent at once ends before the timer matters)
                deadline = ctx.vertx().setTimer(bodyDeadlineMillis, id -> {
                    if (!done) {
                        finish();
                        refuse(ctx.response(), 408, OAuthError.invalidRequest("The request body did not arrive in time"), authMethodId, apiId, start);
                    }
                });
            }
        }

        /** Releases the body's share of the budget, once. */
        private void finish() {
            if (done) {
                return;
            }
            done = true;
            if (inFlight.give(body.length()) < IN_FLIGHT_BUDGET / 2) {
                overBudget = false;
            }
            if (deadline >= 0) {
                ctx.vertx().cancelTimer(deadline);
            }
        }
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            // Vert.x's codec has refused a malformed length before any route sees it
            return false;
        }
    }

    /**
     * A body this route will not read, answered and the connection closed (the rest of the body is
     * never read): 413 as Quarkus's HTTP layer answers it (docs/contract.md#token-endpoint), or the
     * endpoint's own error. Counted with the grant's refusals, under the error the body would carry
     * ({@code invalid_request} for a 413, which has none).
     */
    private void refuse(HttpServerResponse response, int status, OAuthError error, String authMethodId, String apiId, long start) {
        if (response.ended() || response.closed()) {
            return;
        }
        metrics.tokenRefused(apiId, authMethodId, error == null ? "invalid_request" : error.error, System.nanoTime() - start);
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(v -> response.close());
        if (error == null) {
            response.setStatusCode(status).end();
            return;
        }
        error.headers.forEach(response::putHeader);
        answer(response, status, error.body());
    }

    private void issue(RoutingContext ctx, String authMethodId, String apiId, byte[] body) {
        try {
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
                if (done.succeeded()) {
                    respond(ctx, 200, done.result().headers(), done.result().body());
                } else {
                    failed(ctx, done.cause());
                }
            });
        } catch (RuntimeException e) {
            failed(ctx, e);
        }
    }

    /** Outside the router, so that no failure leaves the request without an answer. */
    private void failed(RoutingContext ctx, Throwable cause) {
        OAuthError error = OAuthErrorMapper.asOAuthError(cause);
        respond(ctx, error.status, error.headers, error.body());
    }

    private void respond(RoutingContext ctx, int status, Map<String, String> headers, Object body) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        try {
            headers.forEach(response::putHeader);
            answer(response, status, body);
        } catch (RuntimeException e) {
            LOG.errorf("Token response could not be sent: %s", e.getClass().getName());
            if (!response.headWritten()) {
                response.headers().clear();
                answer(response, 500, OAuthError.serverError().body());
            }
        }
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

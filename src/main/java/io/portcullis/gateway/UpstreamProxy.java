package io.portcullis.gateway;

import io.portcullis.registry.ApiView;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Forwards a request to its API's upstream with Vert.x's pooled HTTP client, streaming both bodies
 * with back-pressure (nothing is held in memory), and maps upstream failures to 502 and 504.
 */
@ApplicationScoped
public class UpstreamProxy {
    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class);

    private final Vertx vertx;
    /**
     * An event loop's own clients, by upstream: a connection is created on the loop that asked for it,
     * and a client shared by the loops hands it to requests of the others, whose every write and
     * response event then crosses threads (about a quarter of a warm gateway request's CPU in a JFR
     * profile went to those task hand-offs). Off an event loop, the shared map.
     */
    private final ThreadLocal<Map<String, HttpClient>> loopClients = ThreadLocal.withInitial(java.util.HashMap::new);
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public UpstreamProxy(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Where a request under the API's path goes: Kong's strip_path, the request path replaced by the upstream's. */
    public static String upstreamUri(URI upstream, String rest, String query) {
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/") && rest.startsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = base + rest;
        if (path.isEmpty()) {
            path = "/";
        }
        return query == null ? path : path + "?" + query;
    }

    /** Events a proxied exchange reports, for the caller to count or log. */
    public interface Outcome {
        void upstreamFailed(int status, String reason);
    }

    public void forward(HttpServerRequest request, ApiView api, String rest, MultiMap headers, Outcome outcome) {
        URI upstream = api.upstream();
        if (upstream == null) {
            // written before upstream URLs were checked: never guess a host (java.net.URI would say none, Vert.x localhost)
            request.resume();
            outcome.upstreamFailed(502, "InvalidUpstreamUrl");
            GatewayResponses.error(request.response(), 502, "bad_gateway", "The API's upstream URL is not usable");
            return;
        }
        boolean tls = "https".equalsIgnoreCase(upstream.getScheme());
        int port = upstream.getPort() > 0 ? upstream.getPort() : tls ? 443 : 80;
        long timeoutMillis = api.upstreamTimeoutSeconds() * 1000L;
        Map<String, HttpClient> pool = io.vertx.core.Context.isOnEventLoopThread() ? loopClients.get() : clients;
        HttpClient client = pool.computeIfAbsent(upstream.getScheme() + "://" + upstream.getHost() + ":" + port,
                key -> vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setKeepAlive(true).setTcpNoDelay(true),
                        new PoolOptions().setHttp1MaxSize(200)));
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(upstream.getHost())
                .setPort(port)
                .setURI(upstreamUri(upstream, rest, request.query()))
                .setHeaders(headers)
                .setConnectTimeout(Math.min(timeoutMillis, 10_000))
                // no byte from the upstream for this long: 504 before the response began, a cut connection after
                .setIdleTimeout(timeoutMillis);
        HttpServerResponse response = request.response();
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                fail(request, created.cause(), outcome);
                return;
            }
            HttpClientRequest upstreamRequest = created.result();
            // the caller went away: free the upstream connection instead of finishing the exchange
            response.closeHandler(v -> upstreamRequest.reset());
            if (response.closed()) {
                upstreamRequest.reset();
                return;
            }
            // a caller that breaks off mid-upload must not look like a complete body upstream
            request.exceptionHandler(e -> upstreamRequest.reset());
            boolean chunked = request.headers().contains("Transfer-Encoding", "chunked", true);
            // HTTP/2 has no framing header for a body, and its end may not be seen yet (the request is paused):
            // a GET or HEAD is taken to have none (RFC 9110 section 9.3.1 gives one no meaning), so that it
            // does not reach the upstream as a chunked HTTP/1.1 request
            boolean bodylessMethod = request.method() == io.vertx.core.http.HttpMethod.GET || request.method() == io.vertx.core.http.HttpMethod.HEAD;
            boolean hasBody = !request.isEnded() && (chunked
                    || request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !bodylessMethod && !"0".equals(request.getHeader("Content-Length"))
                    || request.headers().contains("Content-Length") && !"0".equals(request.getHeader("Content-Length")));
            if (hasBody && !request.headers().contains("Content-Length")) {
                upstreamRequest.setChunked(true);
            }
            var sent = hasBody ? upstreamRequest.send(request) : upstreamRequest.send();
            sent.onComplete(answered -> {
                if (answered.failed()) {
                    fail(request, answered.cause(), outcome);
                    return;
                }
                relay(answered.result(), response, request, outcome);
            });
        });
    }

    private static void relay(HttpClientResponse upstreamResponse, HttpServerResponse response, HttpServerRequest request,
                              Outcome outcome) {
        if (response.closed() || response.ended()) {
            upstreamResponse.request().reset();
            return;
        }
        response.setStatusCode(upstreamResponse.statusCode());
        response.setStatusMessage(upstreamResponse.statusMessage());
        UpstreamHeaders.toCaller(upstreamResponse.headers(), response.headers());
        if (!upstreamResponse.headers().contains("Content-Length") && request.version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
            response.setChunked(true);
        }
        // a body the upstream broke off must reach the caller as broken off, not as a complete one
        upstreamResponse.pipe().endOnFailure(false).to(response).onFailure(e -> {
            outcome.upstreamFailed(502, e.getClass().getSimpleName());
            upstreamResponse.request().reset();
            response.reset();
        });
    }

    private static void fail(HttpServerRequest request, Throwable cause, Outcome outcome) {
        HttpServerResponse response = request.response();
        // the body was paused for the upstream; let it drain so that the connection can be reused
        request.resume();
        // Vert.x's idle timeout is a java.util.concurrent.TimeoutException; a slow connect is Netty's
        boolean timeout = cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException;
        int status = timeout ? 504 : 502;
        outcome.upstreamFailed(status, cause.getClass().getSimpleName());
        if (response.headWritten() || response.closed()) {
            response.reset();
            return;
        }
        LOG.debugf("Upstream failed with %s: answering %d", cause.getClass().getSimpleName(), status);
        GatewayResponses.error(response, status, timeout ? "gateway_timeout" : "bad_gateway",
                timeout ? "The upstream did not answer in time" : (cause instanceof ConnectException
                        ? "The upstream refused the connection" : "The upstream failed"));
    }
}

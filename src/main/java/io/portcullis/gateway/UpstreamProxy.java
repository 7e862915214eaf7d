package io.portcullis.gateway;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.portcullis.registry.ApiView;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Forwards a request to its API's upstream, on the event loop that received it, over HTTP/1.1
 * connections of its own ({@link UpstreamPool}, Netty's codec directly), streaming both bodies with
 * back-pressure ({@link UpstreamExchange}), and maps upstream failures to 502 and 504.
 *
 * <p>Why not Vert.x's HTTP client: in a JFR profile of a warm gateway request, its pool acquisition,
 * futures, per-request timer, header copies (each validated and encoded character by character) and
 * stream objects were about a third of the CPU, for an exchange that needs a pooled connection, one
 * request head and the response relayed.
 */
@ApplicationScoped
public class UpstreamProxy {
    private final VertxInternal vertx;
    /** The JDK's trust store and host name verification, as Vert.x's client had them. */
    private final SslContext tls;
    /** An event loop's own pools, by upstream: a connection lives on the loop whose requests use it. */
    private final ThreadLocal<Map<Origin, UpstreamPool>> pools = ThreadLocal.withInitial(HashMap::new);
    /**
     * Upstream host names, looked up off the event loops. Four lookups at once: a name is looked up only
     * when a pool opens a connection, one lookup per name at a time, and the JDK's cache (30 s) answers most
     * of them without a name server.
     */
    private final UpstreamNameResolver names = new UpstreamNameResolver(4);

    public UpstreamProxy(Vertx vertx) {
        this.vertx = (VertxInternal) vertx;
        try {
            this.tls = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("No TLS client context", e);
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        names.close();
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

    /** An upstream's scheme, host and port: the requests to one share its connections, whatever their path. */
    private record Origin(String scheme, String host, int port) {
    }

    /** Events a proxied exchange reports, for the caller to count or log. */
    public interface Outcome {
        void upstreamFailed(int status, String reason);
    }

    /**
     * @param headers what the upstream receives ({@link UpstreamHeaders#toUpstream}), used as the request head's
     *                headers as they are
     */
    public void forward(HttpServerRequest request, ApiView api, String rest, HeadersMultiMap headers, Outcome outcome) {
        URI upstream = api.upstream();
        if (upstream == null) {
            // written before upstream URLs were checked: never guess a host (java.net.URI would say none, Vert.x localhost)
            request.resume();
            outcome.upstreamFailed(502, "InvalidUpstreamUrl");
            GatewayResponses.error(request.response(), 502, "bad_gateway", "The API's upstream URL is not usable");
            return;
        }
        ContextInternal context = (ContextInternal) ((io.vertx.core.http.impl.HttpServerRequestInternal) request).context();
        if (!context.nettyEventLoop().inEventLoop()) {
            // the exchange belongs to the caller's connection's loop, where its every event then comes
            context.runOnContext(v -> forward(request, api, rest, headers, outcome));
            return;
        }
        boolean tlsUpstream = "https".equalsIgnoreCase(upstream.getScheme());
        int port = upstream.getPort() > 0 ? upstream.getPort() : tlsUpstream ? 443 : 80;
        String host = upstream.getHost();
        // the URI's own strings, whose hashes they keep: no key string built per request
        UpstreamPool pool = pools.get().computeIfAbsent(new Origin(upstream.getScheme(), host, port),
                key -> new UpstreamPool(context.nettyEventLoop(), vertx.transport().channelFactory(false),
                        names, host, port, tlsUpstream ? tls : null));
        long timeoutMillis = api.upstreamTimeoutSeconds() * 1000L;

        boolean chunked = request.headers().contains("Transfer-Encoding", "chunked", true);
        // HTTP/2 has no framing header for a body, and its end may not be seen yet (the request is paused):
        // a GET or HEAD is taken to have none (RFC 9110 section 9.3.1 gives one no meaning), so that it
        // does not reach the upstream as a chunked HTTP/1.1 request
        boolean bodylessMethod = request.method() == io.vertx.core.http.HttpMethod.GET || request.method() == io.vertx.core.http.HttpMethod.HEAD;
        String length = request.getHeader("Content-Length");
        boolean hasBody = !request.isEnded() && (chunked
                || request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !bodylessMethod && !"0".equals(length)
                || length != null && !"0".equals(length));
        // Vert.x's header map is Netty's HttpHeaders too: the head carries it without a copy
        headers.set(HttpHeaderNames.HOST, pool.hostHeader());
        if (hasBody && length == null) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, io.netty.handler.codec.http.HttpHeaderValues.CHUNKED);
        } else if (!hasBody) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            if (!bodylessMethod) {
                // RFC 9110 section 8.6: a method that gives content a meaning says there is none
                headers.set(HttpHeaderNames.CONTENT_LENGTH, io.netty.handler.codec.http.HttpHeaderValues.ZERO);
            } else {
                headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
        }
        String target = upstreamUri(upstream, rest, request.query());
        if (!forwardableToken(target) || !forwardableToken(request.method().name())) {
            // a control character, space or DEL in an HTTP/2 :path or :method: an upstream that splits its
            // request line on any whitespace would read another target
            request.resume();
            GatewayResponses.error(request.response(), 400, "invalid_request", "The request cannot be forwarded");
            return;
        }
        // Netty's own request-line check refuses less (CR, LF, space) than forwardableToken has: it cannot throw here
        DefaultHttpRequest upstreamHead = new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name()), target, headers);
        HttpUtil.setKeepAlive(upstreamHead, true);
        UpstreamExchange exchange = new UpstreamExchange(request, upstreamHead, hasBody, timeoutMillis, outcome);
        pool.acquire(exchange, (int) Math.min(timeoutMillis, 10_000));
    }

    /** No character at or below a space, and no DEL: what a request line's method and target may not hold. */
    static boolean forwardableToken(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

}

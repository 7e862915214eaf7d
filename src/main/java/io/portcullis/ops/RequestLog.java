package io.portcullis.ops;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request is logged once, when it ends, with its correlation id: the caller's
 * {@code X-Request-Id} when it is a sane value, else a new one. The id is answered in the response
 * and passed upstream by the gateway. The line is written by {@link AccessLog}, off the request path.
 */
@ApplicationScoped
public class RequestLog {
    public static final String HEADER = "X-Request-Id";
    public static final String KEY = "portcullis.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final boolean enabled;
    private final AccessLog log;

    public RequestLog(io.portcullis.config.PortcullisConfig config, AccessLog log) {
        this.enabled = config.accessLog().enabled();
        // the bean, not its client proxy (see GatewayRoute)
        this.log = io.quarkus.arc.ClientProxy.unwrap(log);
    }

    /** Before the gateway ({@code GatewayRoute.ORDER}), which passes the id upstream. */
    public static final int ORDER = -1_002;

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        String given = ctx.request().getHeader(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : newId();
        ctx.put(KEY, id);
        ctx.request().headers().set(HEADER, id);
        ctx.response().putHeader(HEADER, id);
        if (enabled) {
            // the path without its query string, which may carry a token
            ctx.addEndHandler(ended -> log.add(new AccessLog.Line(ctx.request().method().name(), ctx.normalizedPath(),
                    ctx.response().getStatusCode(), System.nanoTime() - start, id,
                    ctx.request().remoteAddress() == null ? "-" : ctx.request().remoteAddress().hostAddress())));
        }
        ctx.next();
    }

    /**
     * A correlation id in UUID form. Not a secret, so not from SecureRandom: UUID.randomUUID() takes
     * the one shared SecureRandom's lock on every request, which the event loops then contend for.
     */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    /** The id of the request being handled, from its (possibly rewritten) header. */
    public static String of(io.vertx.core.http.HttpServerRequest request) {
        return request.getHeader(HEADER);
    }
}

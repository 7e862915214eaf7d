package io.portcullis.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request relayed to an upstream and its response relayed back, on the event loop of both
 * connections: the caller's body streamed up as the upstream takes it, the upstream's streamed down as
 * the caller takes it (neither is held in memory), and the failures of docs/contract.md#gateway: 502
 * for a refused, reset or malformed upstream, 504 when it sends nothing for the API's timeout, and a
 * broken-off response to the caller when that happens after its head was sent.
 */
final class UpstreamExchange {
    private static final Logger LOG = Logger.getLogger(UpstreamExchange.class);

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final HttpRequest head;
    private final boolean hasBody;
    private final long timeoutNanos;
    private final UpstreamProxy.Outcome outcome;

    private UpstreamPool.Connection connection;
    private ScheduledFuture<?> timer;
    private long lastReadNanos;
    /** The upstream's status and headers are the caller's response's. */
    private boolean responded;
    /** The whole request reached the upstream. */
    private boolean requestSent;
    private boolean keepAlive = true;
    private boolean done;
    private long waitDeadlineNanos;

    UpstreamExchange(HttpServerRequest request, HttpRequest head, boolean hasBody, long timeoutMillis, UpstreamProxy.Outcome outcome) {
        this.request = request;
        this.response = request.response();
        this.head = head;
        this.hasBody = hasBody;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.outcome = outcome;
    }

    /** What is left of a queued request's connect timeout, for the connection it gets when one closes. */
    int remainingWaitMillis() {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitDeadlineNanos - System.nanoTime()));
    }

    // ---- waiting for a connection ----

    /** Queued for a connection: refused with a 504 when none is free within the connect timeout. */
    void waitAtMost(EventLoop loop, long millis, Runnable dequeue) {
        waitDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        timer = loop.schedule(() -> {
            timer = null;
            dequeue.run();
            failed(new TimeoutException("No connection to the upstream within the connect timeout"));
        }, millis, TimeUnit.MILLISECONDS);
        response.closeHandler(v -> {
            if (!done) {
                done = true;
                cancelTimer();
                dequeue.run();
            }
        });
    }

    /** Taken off the queue: false when it has already been answered or abandoned. */
    boolean stopWaiting() {
        cancelTimer();
        return !done;
    }

    // ---- the exchange ----

    void start(UpstreamPool.Connection connection) {
        if (done || response.closed() || response.ended()) {
            // the caller went away while a connection was found: the connection is still unused
            done = true;
            connection.done(true);
            return;
        }
        // the caller went away: free the upstream connection instead of finishing the exchange
        response.closeHandler(v -> abandon(false));
        // a caller that breaks off mid-upload must not look like a complete body upstream; its own stream
        // reset is not answered with one (RFC 9113 section 5.4.2)
        request.exceptionHandler(e -> abandon(!(e instanceof io.vertx.core.http.StreamResetException)));
        this.connection = connection;
        connection.exchange = this;
        Channel channel = connection.channel;
        lastReadNanos = System.nanoTime();
        timer = channel.eventLoop().schedule(this::checkIdle, timeoutNanos, TimeUnit.NANOSECONDS);
        if (!hasBody) {
            channel.write(head, channel.voidPromise());
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
            requestSent = true;
            request.resume();
            return;
        }
        channel.writeAndFlush(head, channel.voidPromise());
        request.handler(chunk -> {
            if (done) {
                return;
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk.getBytes())), channel.voidPromise());
            if (!channel.isWritable()) {
                request.pause();
            }
        });
        request.endHandler(v -> {
            if (!done) {
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
                requestSent = true;
            }
        });
        request.resume();
    }

    void upstreamWritable() {
        if (!done && !requestSent) {
            request.resume();
        }
    }

    void responseHead(HttpResponse upstream) {
        lastReadNanos = System.nanoTime();
        int status = upstream.status().code();
        if (done) {
            return;
        }
        if (status == 101) {
            // the gateway never asks for an upgrade (Upgrade is hop-by-hop): an upstream that switches anyway is broken
            failed(new java.net.ProtocolException("The upstream switched protocols unasked"));
            return;
        }
        if (status < 200) {
            // an interim response (100 Continue, 103 Early Hints) is the upstream's business: the final one follows
            return;
        }
        if (response.closed() || response.ended()) {
            abandon(false);
            return;
        }
        // after a CONNECT's 2xx the connection is a tunnel, never the next request's
        keepAlive = HttpUtil.isKeepAlive(upstream) && !io.netty.handler.codec.http.HttpMethod.CONNECT.equals(head.method());
        try {
            UpstreamHeaders.toCaller(new HeadersAdaptor(upstream.headers()), response.headers());
        } catch (IllegalArgumentException e) {
            // a value the caller's side will not carry: the caller gets a 502 of its own with none of the
            // upstream's headers (its X-Request-Id, which the upstream's never replace, stays)
            for (String name : upstream.headers().names()) {
                if (!name.equalsIgnoreCase("X-Request-Id")) {
                    response.headers().remove(name);
                }
            }
            failed(e);
            return;
        }
        response.setStatusCode(status);
        response.setStatusMessage(upstream.status().reasonPhrase());
        if (!upstream.headers().contains(HttpHeaderNames.CONTENT_LENGTH) && request.version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
            response.setChunked(true);
        }
        responded = true;
    }

    void responseContent(HttpContent content) {
        lastReadNanos = System.nanoTime();
        if (done || !responded) {
            return;
        }
        boolean last = content instanceof LastHttpContent;
        Buffer chunk = content.content().isReadable() ? Buffer.buffer(Unpooled.copiedBuffer(content.content())) : null;
        if (last) {
            done = true;
            cancelTimer();
            response.drainHandler(null);
            if (chunk == null) {
                response.end();
            } else {
                response.end(chunk);
            }
            // an upstream that answered before it had the whole body cannot take the next request on this connection
            connection.done(keepAlive && requestSent);
            if (!requestSent) {
                // the rest of the caller's body is read and dropped (the handler ignores it now)
                request.resume();
            }
            return;
        }
        if (chunk != null) {
            response.write(chunk);
        }
        if (response.writeQueueFull()) {
            Channel channel = connection.channel;
            channel.config().setAutoRead(false);
            response.drainHandler(v -> channel.config().setAutoRead(true));
        }
    }

    // ---- the ends that are not a response ----

    private void checkIdle() {
        timer = null;
        if (done) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (idle >= timeoutNanos) {
            // Vert.x's client said a java.util.concurrent.TimeoutException too: no byte from the upstream for this long
            failed(new TimeoutException("The upstream sent nothing within the API's timeout"));
        } else {
            timer = connection.channel.eventLoop().schedule(this::checkIdle, timeoutNanos - idle, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The caller went away, or broke off its upload: the upstream connection is closed, not reused, and
     * a caller still connected gets its response broken off (it sent no whole request to answer) when
     * {@code resetCaller}.
     */
    private void abandon(boolean resetCaller) {
        if (!endWithoutReuse()) {
            return;
        }
        if (resetCaller && !response.closed() && !response.ended()) {
            response.reset();
        }
    }

    /** The upstream failed: refused, timed out, reset, or malformed. */
    void failed(Throwable cause) {
        if (!endWithoutReuse()) {
            return;
        }
        // the body was paused for the upstream; let it drain (the handler ignores it now) so that the
        // caller's connection can be reused
        request.resume();
        boolean timeout = cause instanceof TimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException
                || cause instanceof io.netty.handler.ssl.SslHandshakeTimeoutException;
        int status = timeout ? 504 : 502;
        outcome.upstreamFailed(status, cause.getClass().getSimpleName());
        if (responded || response.headWritten() || response.closed()) {
            // a body the upstream broke off must reach the caller as broken off, not as a complete one
            response.reset();
            return;
        }
        LOG.debugf("Upstream failed with %s: answering %d", cause.getClass().getSimpleName(), status);
        GatewayResponses.error(response, status, timeout ? "gateway_timeout" : "bad_gateway",
                timeout ? "The upstream did not answer in time" : (cause instanceof ConnectException
                        ? "The upstream refused the connection" : "The upstream failed"));
    }

    /** Ends the exchange with its upstream connection closed, never reused; false when it had ended already. */
    private boolean endWithoutReuse() {
        if (done) {
            return false;
        }
        done = true;
        cancelTimer();
        if (connection != null) {
            connection.done(false);
        }
        return true;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}

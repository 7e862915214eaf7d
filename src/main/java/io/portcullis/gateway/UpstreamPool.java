package io.portcullis.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's HTTP/1.1 connections to one upstream: at most {@link #MAX_CONNECTIONS} open, idle
 * ones reused (the most recently used first), requests beyond the maximum queued until one is free or
 * their connect timeout passes, and a connection idle for {@link #KEEP_ALIVE_SECONDS} closed. Every
 * method runs on the pool's event loop, so nothing here is shared between threads.
 */
final class UpstreamPool {
    /** Per event loop and upstream, as Vert.x's client pool was configured. */
    static final int MAX_CONNECTIONS = 200;
    /** Vert.x's client default: an idle pooled connection is closed after this long. */
    static final int KEEP_ALIVE_SECONDS = 60;

    private final EventLoop loop;
    private final ChannelFactory<? extends Channel> channels;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final String hostHeader;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<UpstreamExchange> waiting = new ArrayDeque<>();
    private int open;
    /** The host's name is being looked up for a connection of this pool. */
    private boolean lookingUp;
    private boolean sweeping;

    UpstreamPool(EventLoop loop, ChannelFactory<? extends Channel> channels, AddressResolverGroup<InetSocketAddress> resolver,
                 String host, int port, SslContext tls) {
        this.loop = loop;
        this.channels = channels;
        this.resolver = resolver;
        this.host = host;
        this.port = port;
        this.tls = tls;
        // RFC 9112 section 3.2: the port only when it is not the scheme's default
        // (java.net.URI gives an IPv6 literal in its brackets already)
        this.hostHeader = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + (port == (tls != null ? 443 : 80) ? "" : ":" + port);
    }

    String hostHeader() {
        return hostHeader;
    }

    void acquire(UpstreamExchange exchange, int connectTimeoutMillis) {
        for (Connection connection; (connection = idle.pollLast()) != null; ) {
            if (connection.channel.isActive()) {
                exchange.start(connection);
                return;
            }
        }
        if (open < MAX_CONNECTIONS && !lookingUp) {
            connect(exchange, connectTimeoutMillis);
            return;
        }
        waiting.addLast(exchange);
        exchange.waitAtMost(loop, connectTimeoutMillis, () -> waiting.remove(exchange));
    }

    /** An exchange is over and its connection can carry the next. */
    void release(Connection connection) {
        for (UpstreamExchange next; (next = waiting.pollFirst()) != null; ) {
            if (next.stopWaiting()) {
                next.start(connection);
                return;
            }
        }
        connection.idleSince = System.nanoTime();
        idle.addLast(connection);
        if (!sweeping) {
            sweeping = true;
            loop.schedule(this::sweep, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void sweep() {
        long oldest = System.nanoTime() - TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS);
        // the deque is in release order: the longest idle first
        for (Connection connection; (connection = idle.peekFirst()) != null && connection.idleSince - oldest <= 0; ) {
            idle.pollFirst();
            connection.channel.close();
        }
        sweeping = !idle.isEmpty();
        if (sweeping) {
            loop.schedule(this::sweep, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Looks the host up, then connects, all within the one connect timeout: the lookup (off the event loop,
     * {@link UpstreamNameResolver}), the TCP connect and an https upstream's TLS handshake. No channel exists
     * while the name is looked up, so a name server that never answers holds no socket.
     */
    private void connect(UpstreamExchange exchange, int connectTimeoutMillis) {
        open++;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        try {
            Future<InetSocketAddress> lookup = resolver.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port));
            if (lookup.isDone()) {
                // an IP literal
                looked(exchange, lookup, deadline);
                return;
            }
            // both run on this loop: whichever comes first decides, and the other sees it
            ScheduledFuture<?> timer = loop.schedule(() -> notConnected(exchange,
                    new ConnectTimeoutException("The upstream's name was not looked up within the connect timeout")), connectTimeoutMillis, TimeUnit.MILLISECONDS);
            // one lookup per pool at a time: the requests that need a connection meanwhile queue, each
            // answered at its own connect timeout, so that a name server that does not answer holds nothing
            // of theirs
            lookingUp = true;
            lookup.addListener((Future<InetSocketAddress> looked) -> {
                lookingUp = false;
                if (timer.cancel(false)) {
                    looked(exchange, looked, deadline);
                }
                // the queue connects with the same answer (the JDK's cache would give it too)
                for (UpstreamExchange next; looked.isSuccess() && open < MAX_CONNECTIONS && (next = waiting.pollFirst()) != null; ) {
                    if (next.stopWaiting()) {
                        open++;
                        looked(next, looked, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(next.remainingWaitMillis()));
                    }
                }
                connectWaiting();
            });
        } catch (RuntimeException e) {
            // the event loop is shutting down
            lookingUp = false;
            notConnected(exchange, e);
        }
    }

    private void looked(UpstreamExchange exchange, Future<InetSocketAddress> lookup, long deadline) {
        if (!lookup.isSuccess()) {
            notConnected(exchange, lookup.cause());
            return;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left < 1) {
            notConnected(exchange, new ConnectTimeoutException("The upstream's name was not looked up within the connect timeout"));
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) left)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            // the name TLS checks and sends (SNI): an IPv6 literal without its URI brackets
                            String peer = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                            SslHandler handler = tls.newHandler(channel.alloc(), peer, port);
                            SSLParameters parameters = handler.engine().getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            handler.engine().setSSLParameters(parameters);
                            channel.pipeline().addLast(handler);
                        }
                        channel.pipeline().addLast(new HttpClientCodec(), new Connection(UpstreamPool.this, channel));
                    }
                });
        bootstrap.connect(lookup.getNow()).addListener((ChannelFuture connected) -> {
            if (!loop.inEventLoop()) {
                // a channel that could not even be made (no file descriptor left) fails on Netty's global executor
                loop.execute(() -> notConnected(exchange, connected.cause()));
                return;
            }
            if (!connected.isSuccess()) {
                // never active, so never inactive either: counted out here
                notConnected(exchange, connected.cause());
                return;
            }
            SslHandler tlsHandler = connected.channel().pipeline().get(SslHandler.class);
            if (tlsHandler != null) {
                // the handshake starts once the channel is active, just after this: it gets what is left of the
                // connect timeout, and past it is a 504 as a slow TCP connect is (Netty's own bound is 10 s)
                tlsHandler.setHandshakeTimeoutMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            exchange.start(connected.channel().pipeline().get(Connection.class));
        });
    }

    /** A connection that was never made: counted out, and a queued request may try in its place. */
    private void notConnected(UpstreamExchange exchange, Throwable cause) {
        open--;
        exchange.failed(cause);
        connectWaiting();
    }

    private void closed(Connection connection) {
        open--;
        idle.remove(connection);
        connectWaiting();
    }

    /** A connection closed: a queued request gets a new one in its place. */
    private void connectWaiting() {
        for (UpstreamExchange next; open < MAX_CONNECTIONS && !lookingUp && (next = waiting.pollFirst()) != null; ) {
            if (next.stopWaiting()) {
                connect(next, next.remainingWaitMillis());
            }
        }
    }

    /** One connection's end of the pipeline: hands what the upstream sends to the exchange it is carrying. */
    static final class Connection extends ChannelInboundHandlerAdapter {
        final UpstreamPool pool;
        final Channel channel;
        /** The exchange this connection carries, or null while it is idle. */
        UpstreamExchange exchange;
        long idleSince;

        Connection(UpstreamPool pool, Channel channel) {
            this.pool = pool;
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                UpstreamExchange current = exchange;
                if (current == null) {
                    // nothing was asked: an upstream that talks out of turn is not trusted with the next request
                    ctx.close();
                    return;
                }
                if (!(msg instanceof HttpObject object)) {
                    // raw bytes: the codec stopped parsing HTTP (after a 101 or a CONNECT's 2xx)
                    current.failed(new java.net.ProtocolException("The upstream left HTTP"));
                    return;
                }
                if (object.decoderResult().isFailure()) {
                    current.failed(object.decoderResult().cause());
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    current.responseHead(response);
                }
                if (msg instanceof HttpContent content) {
                    current.responseContent(content);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            UpstreamExchange current = exchange;
            if (current != null && ctx.channel().isWritable()) {
                current.upstreamWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            UpstreamExchange current = exchange;
            exchange = null;
            pool.closed(this);
            if (current != null) {
                current.failed(new java.nio.channels.ClosedChannelException());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
                // before the close that follows it, whose ClosedChannelException would say less
                exceptionCaught(ctx, handshake.cause());
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            UpstreamExchange current = exchange;
            exchange = null;
            ctx.close();
            if (current != null) {
                current.failed(cause);
            }
        }

        /** The exchange is over: the connection carries the next, or closes when it cannot. */
        void done(boolean reusable) {
            exchange = null;
            if (!reusable) {
                channel.close();
                return;
            }
            // reading may have been paused for a slow caller: the next exchange reads from the start
            channel.config().setAutoRead(true);
            // after the read that ended the exchange: bytes behind its response in the same read reach no
            // exchange (and close the connection) instead of the next one's
            channel.eventLoop().execute(() -> {
                if (exchange == null && channel.isActive()) {
                    pool.release(this);
                }
            });
        }
    }
}

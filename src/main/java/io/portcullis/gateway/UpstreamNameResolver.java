package io.portcullis.gateway;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.internal.SocketUtils;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves an upstream's host name as the JDK does (getaddrinfo: /etc/hosts, resolv.conf's search
 * domains and ndots, the JDK's address cache), on threads of its own instead of on the event loop.
 *
 * <p>Netty's default resolver, which Vert.x hands out while Quarkus keeps its asynchronous DNS client
 * off, looks a name up on the thread that connects: the event loop, where a name server that is slow
 * or gone would stall every request that loop serves, for as long as the C library retries (seconds
 * per search domain). Netty's asynchronous DNS client is not the fix: it reads resolv.conf on its own
 * and has failed where getaddrinfo works (Kubernetes' {@code ndots:5} search lists), which is why Quarkus
 * leaves it off by default. So the lookup stays the JDK's and only moves. The connect timeout still
 * bounds the request ({@link UpstreamPool}); a lookup that outlives it finishes on its thread and is
 * dropped. An IP literal is parsed where it is, with no hop.
 */
final class UpstreamNameResolver extends AddressResolverGroup<InetSocketAddress> {
    private final ThreadPoolExecutor lookups;

    /** @param threads at most this many names looked up at once; others queue */
    UpstreamNameResolver(int threads) {
        AtomicInteger count = new AtomicInteger();
        lookups = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "portcullis-upstream-dns-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        lookups.allowCoreThreadTimeOut(true);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new Lookup(loop, lookups).asAddressResolver();
    }

    @Override
    public void close() {
        super.close();
        lookups.shutdownNow();
    }

    /** Literals where they are, names on the lookup threads; the promise notifies on the event loop. */
    static final class Lookup extends InetNameResolver {
        private final Executor lookups;

        Lookup(EventExecutor loop, Executor lookups) {
            super(loop);
            this.lookups = lookups;
        }

        static boolean literal(String host) {
            return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            run(host, promise, () -> SocketUtils.addressByName(host));
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            run(host, promise, () -> Arrays.asList(SocketUtils.allAddressesByName(host)));
        }

        private <T> void run(String host, Promise<T> promise, Resolution<T> resolution) {
            if (literal(host)) {
                complete(promise, resolution);
                return;
            }
            try {
                lookups.execute(() -> complete(promise, resolution));
            } catch (RejectedExecutionException e) {
                promise.tryFailure(new UnknownHostException("the upstream's name cannot be looked up while the server stops"));
            }
        }

        private static <T> void complete(Promise<T> promise, Resolution<T> resolution) {
            try {
                promise.trySuccess(resolution.get());
            } catch (UnknownHostException e) {
                promise.tryFailure(e);
            } catch (RuntimeException e) {
                promise.tryFailure(e);
            }
        }
    }

    private interface Resolution<T> {
        T get() throws UnknownHostException;
    }
}

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 * bounds the request ({@link UpstreamPool}); a lookup that outlives it finishes on its thread and its
 * answer is dropped. An IP literal is parsed where it is, with no hop.
 */
final class UpstreamNameResolver extends AddressResolverGroup<InetSocketAddress> {
    private final ThreadPoolExecutor threads;
    private final Lookups lookups;

    /** @param threads at most this many names looked up at once; others queue */
    UpstreamNameResolver(int threads) {
        AtomicInteger count = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "portcullis-upstream-dns-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.threads.allowCoreThreadTimeOut(true);
        this.lookups = new Lookups(this.threads);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
        return new Lookup(loop, lookups).asAddressResolver();
    }

    @Override
    public void close() {
        super.close();
        threads.shutdownNow();
        // the lookups still queued never run: their waiters are answered
        lookups.stopped();
    }

    /**
     * One lookup per name at a time, whichever loop asks: the JDK serialises lookups of one name anyway,
     * so a second would only hold a thread waiting on the first, and a dead name would take every thread.
     */
    static final class Lookups {
        private final Executor threads;
        private final ConcurrentHashMap<String, CompletableFuture<InetAddress[]>> running = new ConcurrentHashMap<>();

        Lookups(Executor threads) {
            this.threads = threads;
        }

        CompletableFuture<InetAddress[]> of(String host) {
            CompletableFuture<InetAddress[]> mine = new CompletableFuture<>();
            CompletableFuture<InetAddress[]> theirs = running.putIfAbsent(host, mine);
            if (theirs != null) {
                return theirs;
            }
            try {
                threads.execute(() -> {
                    try {
                        mine.complete(SocketUtils.allAddressesByName(host));
                    } catch (Throwable e) {
                        // whatever the lookup threw, its waiters are answered
                        mine.completeExceptionally(e);
                    } finally {
                        running.remove(host, mine);
                    }
                });
            } catch (RejectedExecutionException e) {
                running.remove(host, mine);
                mine.completeExceptionally(new UnknownHostException("the upstream's name cannot be looked up while the server stops"));
            }
            return mine;
        }

        void stopped() {
            running.forEach((host, lookup) -> lookup.completeExceptionally(
                    new UnknownHostException("the upstream's name cannot be looked up while the server stops")));
        }
    }

    /** Literals where they are, names through {@link Lookups}; the promise notifies on the event loop. */
    static final class Lookup extends InetNameResolver {
        private final Lookups lookups;

        Lookup(EventExecutor loop, Lookups lookups) {
            super(loop);
            this.lookups = lookups;
        }

        static boolean literal(String host) {
            return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            answer(host, promise, addresses -> addresses[0]);
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            answer(host, promise, Arrays::asList);
        }

        private <T> void answer(String host, Promise<T> promise, Function<InetAddress[], T> answer) {
            if (literal(host)) {
                try {
                    promise.trySuccess(answer.apply(new InetAddress[] {SocketUtils.addressByName(host)}));
                } catch (UnknownHostException e) {
                    promise.tryFailure(e);
                }
                return;
            }
            lookups.of(host).whenComplete((addresses, failure) -> {
                if (failure != null) {
                    promise.tryFailure(failure);
                } else {
                    promise.trySuccess(answer.apply(addresses));
                }
            });
        }
    }
}

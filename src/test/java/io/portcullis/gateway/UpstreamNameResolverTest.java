package io.portcullis.gateway;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** An upstream's name is looked up off the event loop, which keeps serving meanwhile; a literal needs no lookup. */
class UpstreamNameResolverTest {
    static DefaultEventLoop loop;

    @BeforeAll
    static void start() {
        loop = new DefaultEventLoop();
    }

    @AfterAll
    static void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void anIpLiteralIsParsedWhereItIsWithNoLookup() throws Exception {
        UpstreamNameResolver.Lookup lookup = new UpstreamNameResolver.Lookup(loop, new UpstreamNameResolver.Lookups(task -> fail("a literal was looked up")));
        assertEquals("127.0.0.1", lookup.resolve("127.0.0.1").get(5, TimeUnit.SECONDS).getHostAddress());
        assertTrue(lookup.resolve("[::1]").get(5, TimeUnit.SECONDS).isLoopbackAddress());
        assertTrue(lookup.resolve("::1").get(5, TimeUnit.SECONDS).isLoopbackAddress());
    }

    @Test
    void aNameIsLookedUpOnceOnAnotherThreadWhileTheLoopServes() throws Exception {
        List<Runnable> pending = new ArrayList<>();
        UpstreamNameResolver.Lookups lookups = new UpstreamNameResolver.Lookups(pending::add);
        UpstreamNameResolver.Lookup lookup = new UpstreamNameResolver.Lookup(loop, lookups);
        // as a name server that has not answered yet: the lookup is queued, not run on the caller's thread
        Future<InetAddress> first = loop.submit(() -> lookup.resolve("localhost")).get(5, TimeUnit.SECONDS);
        Future<List<InetAddress>> second = loop.submit(() -> lookup.resolveAll("localhost")).get(5, TimeUnit.SECONDS);
        assertEquals(1, pending.size(), "a name already being looked up is not looked up again");
        assertFalse(first.isDone());
        assertFalse(second.isDone());
        assertEquals("served", loop.submit(() -> "served").get(5, TimeUnit.SECONDS), "the event loop is free while the name is looked up");
        pending.get(0).run();
        assertTrue(first.get(5, TimeUnit.SECONDS).isLoopbackAddress());
        assertTrue(second.get(5, TimeUnit.SECONDS).get(0).isLoopbackAddress());
        // the answer is the JDK's to cache: the next request for the name asks again
        lookup.resolve("localhost");
        assertEquals(2, pending.size());
    }

    @Test
    void aLookupRefusedWhileTheServerStopsFailsAsAnUnknownHost() {
        UpstreamNameResolver.Lookup lookup = new UpstreamNameResolver.Lookup(loop, new UpstreamNameResolver.Lookups(task -> {
            throw new RejectedExecutionException("stopped");
        }));
        ExecutionException e = assertThrows(ExecutionException.class, () -> lookup.resolve("upstream.example").get(5, TimeUnit.SECONDS));
        assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    @Test
    void theLookupThreadsResolveANameAndEndWithTheGroup() throws Exception {
        UpstreamNameResolver names = new UpstreamNameResolver(1);
        try {
            var resolved = names.getResolver(loop).resolve(java.net.InetSocketAddress.createUnresolved("localhost", 8080)).get(10, TimeUnit.SECONDS);
            assertTrue(resolved.getAddress().isLoopbackAddress());
            assertEquals(8080, resolved.getPort());
        } finally {
            names.close();
        }
    }
}

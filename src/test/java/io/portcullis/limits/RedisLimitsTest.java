package io.portcullis.limits;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portcullis.support.TcpProxy;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared limits store with a real Redis (127.0.0.1:6379, database 5, flushed first): two stores are
 * two replicas. Without Redis (a developer machine), skipped with one line saying so; CI always has one.
 */
class RedisLimitsTest {
    static final String URL = "redis://127.0.0.1:6379/5";
    static Vertx vertx;

    @BeforeAll
    static void redis() throws IOException {
        boolean up;
        try (Socket socket = new Socket("127.0.0.1", 6379)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("SELECT 5\r\nFLUSHDB\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = new byte[10];
            InputStream in = socket.getInputStream();
            up = in.read(answer) > 0 && answer[0] == '+';
        } catch (IOException e) {
            up = false;
        }
        if (!up && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI has a Redis on 127.0.0.1:6379 (.ci/run starts it): the Redis tests must run");
        }
        if (!up) {
            System.out.println("RedisLimitsTest skipped: no Redis on 127.0.0.1:6379 (start one: redis-server --port 6379)");
        }
        Assumptions.assumeTrue(up, "no Redis on 127.0.0.1:6379");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        if (vertx != null) {
            vertx.close();
        }
    }

    static LimitsStore replica(String url, Duration timeout) {
        return new LimitsStore("redis", url, timeout, vertx, new SimpleMeterRegistry());
    }

    /** A replica whose connection is up: what is checked is the counting, not how long a connection takes in a busy JVM. */
    static LimitsStore connected() throws Exception {
        LimitsStore store = replica(URL, Duration.ofSeconds(5));
        store.firstUse("warm:" + UUID.randomUUID(), System.currentTimeMillis() + 1000).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(store.redisUp());
        return store;
    }

    static long count(LimitsStore store, String key, long limit) throws Exception {
        return store.add(key, Duration.ofMinutes(1), limit).toCompletableFuture().get(5, TimeUnit.SECONDS).count();
    }

    static long exact(LimitsStore store, String key) throws Exception {
        return store.add(key, Duration.ofMinutes(1)).toCompletableFuture().get(5, TimeUnit.SECONDS).count();
    }

    @Test
    void twoReplicasHoldALimitToItsNumberBetweenThem() throws Exception {
        LimitsStore a = connected();
        LimitsStore b = connected();
        for (int limit : new int[]{5, 40, 1000}) {
            String key = "plan:" + UUID.randomUUID();
            int admitted = 0;
            for (int i = 0; i < 2 * limit; i++) {
                if (count(i % 2 == 0 ? a : b, key, limit) <= limit) {
                    admitted++;
                }
            }
            assertEquals(limit, admitted, "a limit of " + limit + " across two replicas");
        }
        assertTrue(a.redisUp() && b.redisUp());
        assertEquals(0, a.fallbacks() + b.fallbacks());
    }

    @Test
    void aConcurrentBurstAtBothReplicasIsHeldToTheLimit() throws Exception {
        LimitsStore a = connected();
        LimitsStore b = connected();
        String key = "plan:" + UUID.randomUUID();
        java.util.List<java.util.concurrent.CompletableFuture<Windows.Count>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // all asked before any is answered: the requests a gateway's event loops hold at once
            answers.add((i % 2 == 0 ? a : b).add(key, Duration.ofMinutes(1), 100).toCompletableFuture());
        }
        long admitted = 0;
        for (var answer : answers) {
            if (answer.get(10, TimeUnit.SECONDS).count() <= 100) {
                admitted++;
            }
        }
        assertEquals(100, admitted, "300 at once against a limit of 100, across two replicas");
        assertEquals(0, a.fallbacks() + b.fallbacks());
    }

    @Test
    void anIdUsedAtOneReplicaIsUsedAtTheOther() throws Exception {
        LimitsStore a = connected();
        LimitsStore b = connected();
        String id = "dpop:" + UUID.randomUUID();
        long expires = System.currentTimeMillis() + 60_000;
        assertTrue(a.firstUse(id, expires).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertFalse(b.firstUse(id, expires).toCompletableFuture().get(5, TimeUnit.SECONDS), "a replay at the other replica");
        assertFalse(a.firstUse(id, expires).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(b.firstUse("dpop:" + UUID.randomUUID(), expires).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void withoutRedisEveryEventIsCountedHereAndAnswered() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        LimitsStore store = replica("redis://127.0.0.1:" + closed + "/5", Duration.ofMillis(20));
        String key = "plan:" + UUID.randomUUID();
        for (int i = 1; i <= 3; i++) {
            assertEquals(i, exact(store, key), "counted locally, in order");
        }
        assertFalse(store.redisUp());
        assertEquals(3, store.fallbacks());
        // an id is then judged by the replica's own memory alone, which the caller checked
        assertTrue(store.firstUse("dpop:" + UUID.randomUUID(), System.currentTimeMillis() + 60_000).toCompletableFuture()
                .get(5, TimeUnit.SECONDS));
        assertEquals(4, store.fallbacks());
    }

    @Test
    void aRelayCutMidWayFallsBackAndComesBack() throws Exception {
        TcpProxy relay = new TcpProxy("127.0.0.1", 6379);
        try {
            LimitsStore store = replica("redis://127.0.0.1:" + relay.port() + "/5", Duration.ofMillis(200));
            LimitsStore other = connected();
            String key = "quota:" + UUID.randomUUID();
            assertEquals(1, exact(store, key));
            assertEquals(2, exact(other, key), "shared");
            relay.cut();
            assertEquals(1, exact(store, key), "cut off: this replica counts alone");
            assertFalse(store.redisUp());
            relay.restore();
            long shared = 0;
            for (int i = 0; i < 50 && shared < 3; i++) {
                // the relay accepts again: the client reconnects by itself on a next event
                shared = exact(store, key);
            }
            assertTrue(shared >= 3, "back on Redis's count: " + shared);
            assertTrue(store.redisUp());
        } finally {
            relay.restore();
            relay.close();
        }
    }
}

package io.portcullis.hardening;

import io.portcullis.registry.CredentialService;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's jwks_uri is fetched off the request path with the limits of docs/contract.md#token-endpoint:
 * a key host that never answers holds at most two request threads, redirects are not followed, a set over
 * 64 KiB is refused, the last good set serves while the host is down, and an unknown kid refetches at
 * most once per 30 s.
 */
@QuarkusTest
class JwksUriTest {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    Fixtures fixtures;

    @Inject
    CredentialService credentials;

    String api;
    IssuedCredentials client;
    ECKey key;

    @BeforeEach
    void setUp() throws Exception {
        fixtures.ensureBasics();
        api = fixtures.api("read");
        client = fixtures.subscribe(api);
        key = new ECKeyGenerator(Curve.P_256).keyID("k-" + UUID.randomUUID()).generate();
    }

    String assertion(ECKey with) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(client.clientId()).subject(client.clientId())
                .audience("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api)
                .expirationTime(new Date(now + 60_000)).issueTime(new Date(now)).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(with));
        return jwt.serialize();
    }

    int tokenWithAssertion(String assertion) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", JWT_BEARER).formParam("client_assertion", assertion)
                .post(Fixtures.tokenPath(api)).statusCode();
    }

    /** A JWKS host on loopback that counts its hits. */
    static HttpServer keyHost(AtomicInteger hits, String path, int status, byte[] body, String location) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            hits.incrementAndGet();
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    String url(HttpServer server, String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aKeyHostThatNeverAnswersHoldsAtMostTwoRequestThreads() throws Exception {
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch fetching = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // accepted, never answered
                        fetching.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            credentials.setClientKeys(client.subscriptionId(), null, "http://127.0.0.1:" + silent.getLocalPort() + "/jwks");

            ExecutorService callers = Executors.newFixedThreadPool(24);
            try {
                List<Future<Integer>> assertions = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    assertions.add(callers.submit(() -> tokenWithAssertion(assertion(key))));
                }
                assertTrue(fetching.await(30, TimeUnit.SECONDS), "the server asked the key host");
                // while the key host holds the fetch, at most two request threads wait for it (within its
                // budget) and the other requests are answered with what there is: a count of threads, not a
                // latency, so no clock to race
                List<String> waiting = requestThreadsWaitingInKeyCode();
                assertTrue(waiting.size() <= io.portcullis.keys.RemoteKeySets.FIRST_FETCH_WAITERS,
                        "request threads waiting in the key fetch while the key host hung: " + waiting);
                // and other clients and endpoints are answered
                IssuedCredentials other = fixtures.subscribe(api);
                TokenClient.token(api, other.clientId(), other.clientSecret(), "read");
                given().get("/auth/jwks").then().statusCode(200);
                for (Future<Integer> status : assertions) {
                    // no keys, no token: invalid_client, throttled once the client id has failed ten times
                    int code = status.get(10, TimeUnit.SECONDS);
                    assertTrue(code == 401 || code == 429, "answered " + code);
                }
            } finally {
                callers.shutdownNow();
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * The event loops and worker threads (this test runs in the server's JVM) parked on a key fetch's
     * future inside the key code ({@code io.portcullis.keys}): every request thread made to wait for a
     * fetch is one of them. One consistent dump (a thread's state and stack from the same instant), and
     * only a wait on the fetch counts, not a passing lock.
     */
    static List<String> requestThreadsWaitingInKeyCode() {
        List<String> waiting = new ArrayList<>();
        for (java.lang.management.ThreadInfo thread : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            String name = thread.getThreadName();
            boolean requestThread = name.startsWith("executor-thread") || name.startsWith("vert.x-eventloop-thread")
                    || name.startsWith("vert.x-worker-thread");
            Thread.State state = thread.getThreadState();
            if (!requestThread || (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING)) {
                continue;
            }
            StackTraceElement[] stack = thread.getStackTrace();
            boolean onAFuture = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().equals("java.util.concurrent.CompletableFuture"));
            java.util.Arrays.stream(stack).filter(f -> f.getClassName().startsWith("io.portcullis.keys.")).findFirst()
                    .filter(frame -> onAFuture)
                    .ifPresent(frame -> waiting.add(name + " " + state + " at " + frame));
        }
        return waiting;
    }

    @Test
    void redirectsAndOversizedSetsAreRefused() throws Exception {
        AtomicInteger targetHits = new AtomicInteger();
        AtomicInteger otherHits = new AtomicInteger();
        byte[] good = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer target = keyHost(targetHits, "/jwks", 200, good, null);
        HttpServer redirect = keyHost(otherHits, "/moved", 302, new byte[0], url(target, "/jwks"));
        String padded = new JWKSet(key.toPublicJWK()).toString().replaceFirst("\\{", "{\"pad\":\"" + "x".repeat(70_000) + "\",");
        HttpServer big = keyHost(otherHits, "/big", 200, padded.getBytes(StandardCharsets.UTF_8), null);
        try {
            credentials.setClientKeys(client.subscriptionId(), null, url(redirect, "/moved"));
            assertEquals(401, tokenWithAssertion(assertion(key)), "a redirect is not followed");
            assertEquals(1, otherHits.get(), "the redirecting host was asked");
            assertEquals(0, targetHits.get(), "the redirect's target was never asked");

            client = fixtures.subscribe(api);
            credentials.setClientKeys(client.subscriptionId(), null, url(big, "/big"));
            assertEquals(401, tokenWithAssertion(assertion(key)), "a key set over 64 KiB is refused");
            assertEquals(2, otherHits.get());
        } finally {
            target.stop(0);
            redirect.stop(0);
            big.stop(0);
        }
    }

    @Test
    void theLastGoodSetServesWhileTheHostIsDownAndAnUnknownKidRefetchesOnce() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        byte[] good = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer host = keyHost(hits, "/jwks", 200, good, null);
        try {
            credentials.setClientKeys(client.subscriptionId(), null, url(host, "/jwks"));
            assertEquals(200, tokenWithAssertion(assertion(key)));
            assertEquals(1, hits.get());
            ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("unknown-" + UUID.randomUUID()).generate();
            for (int i = 0; i < 5; i++) {
                assertEquals(401, tokenWithAssertion(assertion(stranger)));
            }
            assertTrue(hits.get() <= 2, "an unknown kid refetched " + (hits.get() - 1) + " times within 30 s");
        } finally {
            host.stop(0);
        }
        // the host is gone: the cached set still verifies
        assertEquals(200, tokenWithAssertion(assertion(key)));
    }
}

package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Key sets published at a URL (a client's {@code jwks_uri}, RFC 7591 section 2), fetched off the
 * request path with the limits of docs/contract.md#token-endpoint: https only (http only to a loopback
 * address), no redirects, at most 64 KiB, a 2 s budget; cached, refreshed in the background when
 * older than five minutes, the last good set served while the host is down, and at most one refetch
 * per URL every 30 s for a {@code kid} the set lacks (or after a failed fetch).
 *
 * <p>A slow or hostile key host never holds a request thread: a request uses what is cached. Only the
 * very first use of a URL may wait for its fetch, within the budget, and never more than
 * {@value #FIRST_FETCH_WAITERS} requests at once; the others are answered at once.
 */
@ApplicationScoped
public class RemoteKeySets {
    private static final Logger LOG = Logger.getLogger(RemoteKeySets.class);
    static final int MAX_BYTES = 64 * 1024;
    static final Duration BUDGET = Duration.ofSeconds(2);
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration REFETCH_AFTER = Duration.ofSeconds(30);
    static final int FIRST_FETCH_WAITERS = 2;

    private final ExecutorService fetchers = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "jwks-fetch");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(BUDGET)
            .executor(fetchers)
            .build();
    /** Registered URLs are few (an admin registers each); bounded all the same. */
    private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(10_000).expireAfterAccess(Duration.ofDays(1)).build();
    private final Semaphore firstFetchWaiters = new Semaphore(FIRST_FETCH_WAITERS);

    private static final class Entry {
        volatile List<JsonWebKey> keys;
        volatile long fetchedAt;
        /** When a fetch was last started that the 30 s rule limits (unknown kid, or after a failure). */
        volatile long lastLimitedFetch;
        volatile boolean lastFailed;
        CompletableFuture<Void> inflight;
    }

    /** The keys of the set at {@code uri} as this replica has them now; empty when it has none yet. */
    public List<JsonWebKey> keys(String uri, String kid) {
        Entry entry = entries.get(uri, u -> new Entry());
        long now = System.currentTimeMillis();
        List<JsonWebKey> keys = entry.keys;
        if (keys == null) {
            CompletableFuture<Void> fetch = refresh(uri, entry, now, entry.lastFailed);
            if (fetch != null && firstFetchWaiters.tryAcquire()) {
                try {
                    fetch.get(BUDGET.toMillis() + 200, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // the fetch says what happened; this request is answered with what there is
                } finally {
                    firstFetchWaiters.release();
                }
            }
            return entry.keys == null ? List.of() : entry.keys;
        }
        if (now - entry.fetchedAt > MAX_AGE.toMillis()) {
            refresh(uri, entry, now, entry.lastFailed);
        }
        if (kid != null && keys.stream().noneMatch(k -> kid.equals(k.getKeyId()))) {
            refresh(uri, entry, now, true);
        }
        return keys;
    }

    /** Starts a fetch unless one is running, or a limited one ran within 30 s; null when none runs. */
    private CompletableFuture<Void> refresh(String uri, Entry entry, long now, boolean limited) {
        synchronized (entry) {
            if (entry.inflight != null && !entry.inflight.isDone()) {
                return entry.inflight;
            }
            if (limited) {
                if (now - entry.lastLimitedFetch < REFETCH_AFTER.toMillis()) {
                    return null;
                }
                entry.lastLimitedFetch = now;
            }
            entry.inflight = fetch(uri).handle((keys, failure) -> {
                if (failure != null) {
                    // the last good set stays; the next try waits for the 30 s rule
                    entry.lastFailed = true;
                    entry.lastLimitedFetch = System.currentTimeMillis();
                    LOG.debugf("Keys at a client's jwks_uri could not be fetched (%s)", rootName(failure));
                } else {
                    entry.keys = keys;
                    entry.fetchedAt = System.currentTimeMillis();
                    entry.lastFailed = false;
                }
                return null;
            });
            return entry.inflight;
        }
    }

    CompletableFuture<List<JsonWebKey>> fetch(String uri) {
        URI target;
        try {
            target = URI.create(uri);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IOException("not a URL"));
        }
        if (!allowed(target)) {
            return CompletableFuture.failedFuture(new IOException("only https, or http to a loopback address"));
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(BUDGET).header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request,
                info -> info.statusCode() == 200 ? new Limited(MAX_BYTES) : HttpResponse.BodySubscribers.replacing(null));
        return exchange.orTimeout(BUDGET.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        // the budget is spent: the exchange ends here too
                        exchange.cancel(true);
                    }
                })
                .thenApply(response -> {
                    if (response.statusCode() != 200 || response.body() == null) {
                        // redirects included: they are not followed
                        throw new IllegalStateException("status " + response.statusCode());
                    }
                    try {
                        List<JsonWebKey> keys = new JsonWebKeySet(new String(response.body(), StandardCharsets.UTF_8)).getJsonWebKeys();
                        // asymmetric public keys only: no secret key, no private part (RFC 7517 section 4)
                        return keys.stream().filter(k -> k instanceof PublicJsonWebKey p && p.getPrivateKey() == null).toList();
                    } catch (org.jose4j.lang.JoseException e) {
                        throw new IllegalStateException("not a JWK set");
                    }
                });
    }

    /** https, or http to a loopback address named literally (no name a resolver could turn elsewhere). */
    static boolean allowed(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        if (scheme.equals("https")) {
            return !host.isEmpty();
        }
        return scheme.equals("http") && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @PreDestroy
    void stop() {
        fetchers.shutdownNow();
    }

    /** A body of at most {@code max} bytes: past it, the exchange is cancelled and fails. */
    static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final HttpResponse.BodySubscriber<byte[]> inner = HttpResponse.BodySubscribers.ofByteArray();
        private final int max;
        private long seen;
        private Flow.Subscription subscription;
        private boolean failed;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return inner.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            inner.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (failed) {
                return;
            }
            for (ByteBuffer item : items) {
                seen += item.remaining();
            }
            if (seen > max) {
                failed = true;
                subscription.cancel();
                inner.onError(new IOException("the key set is larger than " + max + " bytes"));
                return;
            }
            inner.onNext(items);
        }

        @Override
        public void onError(Throwable throwable) {
            if (!failed) {
                inner.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                inner.onComplete();
            }
        }
    }
}

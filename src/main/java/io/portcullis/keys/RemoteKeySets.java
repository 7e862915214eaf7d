package io.portcullis.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.TrustedIssuerView;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Key sets published at a URL (a client's {@code jwks_uri}, RFC 7591 section 2; a trusted issuer's
 * {@code jwksUri} or its OIDC discovery document's {@code jwks_uri}), fetched off the request path with the limits of docs/contract.md#token-endpoint: https only (http only to a loopback
 * address), no redirects, at most 64 KiB, a 2 s budget; cached, refreshed in the background when
 * older than five minutes, the last good set served while the host is down, and at most one refetch
 * per URL every 30 s for a {@code kid} the set lacks (or after a failed fetch).
 *
 * <p>A slow or hostile key host never holds a request thread: a request uses what is cached. Only the
 * very first use of a source, or the first request naming a kid the set lacks (once per 30 s), may
 * wait for its fetch, within the budget, and never more than {@value #FIRST_FETCH_WAITERS} requests at
 * once; the others are answered at once.
 */
@ApplicationScoped
public class RemoteKeySets {
    private static final Logger LOG = Logger.getLogger(RemoteKeySets.class);
    static final Duration BUDGET = KeySetFetcher.BUDGET;
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration REFETCH_AFTER = Duration.ofSeconds(30);
    /** The most request threads that wait for a fetch at once (JwksUriTest counts them). */
    public static final int FIRST_FETCH_WAITERS = 2;

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

    private final KeySetFetcher fetcher;

    public RemoteKeySets(PortcullisConfig config) {
        this.fetcher = new KeySetFetcher(Path.of(config.federation().fileRoot()), config.federation().bearerTokenHosts());
    }

    /** The keys of the set at {@code uri} as this replica has them now; empty when it has none yet. */
    public List<JsonWebKey> keys(String uri, String kid) {
        return keys("uri " + uri, () -> fetcher.fetch(uri), kid);
    }

    /**
     * A trusted issuer's keys as this replica has them now (docs/contract.md#federated-workload-identity),
     * from its {@code jwksUri} or through OIDC discovery, with its CA and bearer token when it has them.
     */
    public List<JsonWebKey> keys(TrustedIssuerView issuer, String kid) {
        return keys(issuer.keySourceKey(), () -> fetcher.fetch(issuer), kid);
    }

    private List<JsonWebKey> keys(String source, Supplier<CompletableFuture<List<JsonWebKey>>> fetcher, String kid) {
        Entry entry = entries.get(source, u -> new Entry());
        long now = System.currentTimeMillis();
        List<JsonWebKey> keys = entry.keys;
        if (keys == null) {
            awaitWithinBudget(refresh(fetcher, entry, now, entry.lastFailed));
            return entry.keys == null ? List.of() : entry.keys;
        }
        if (now - entry.fetchedAt > MAX_AGE.toMillis()) {
            refresh(fetcher, entry, now, entry.lastFailed);
        }
        if (kid != null && keys.stream().noneMatch(k -> kid.equals(k.getKeyId()))) {
            // a key rotated at the host is picked up by the request that first names it (once per 30 s)
            awaitWithinBudget(refresh(fetcher, entry, now, true));
            return entry.keys;
        }
        return keys;
    }

    /** Waits for a fetch within the budget, if one runs and no more than {@value #FIRST_FETCH_WAITERS} already wait. */
    private void awaitWithinBudget(CompletableFuture<Void> fetch) {
        if (fetch != null && firstFetchWaiters.tryAcquire()) {
            try {
                fetch.get(BUDGET.toMillis() + 200, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the fetch says what happened; this request is answered with what there is
            } finally {
                firstFetchWaiters.release();
            }
        }
    }

    /** Starts a fetch unless one is running, or a limited one ran within 30 s; null when none runs. */
    private CompletableFuture<Void> refresh(Supplier<CompletableFuture<List<JsonWebKey>>> fetcher, Entry entry, long now, boolean limited) {
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
            entry.inflight = fetcher.get().handle((keys, failure) -> {
                if (failure != null) {
                    // the last good set stays; the next try waits for the 30 s rule
                    entry.lastFailed = true;
                    entry.lastLimitedFetch = System.currentTimeMillis();
                    LOG.debugf("A key set could not be fetched (%s)", rootName(failure));
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

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @PreDestroy
    void stop() {
        fetcher.close();
    }

}

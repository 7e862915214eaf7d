package io.portcullis.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.portcullis.config.PortcullisConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.annotation.PreDestroy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind plan rate limits and token quotas (docs/contract.md#token-policy):
 * {@code portcullis.limits.store=local} counts on this replica alone; {@code redis} counts in Redis,
 * shared by every replica, each window in one atomic script (no read-modify-write race), by Redis's
 * clock.
 *
 * <p>A plan's rate limit at the gateway is counted by leases ({@link #add(String, Duration, long)}): a
 * replica takes a share of what is left of a window from Redis and admits from it without asking, so
 * that a busy key costs Redis a handful of scripts a window, and every replica together never passes
 * the limit. Token quotas and failed authentications are counted one by one, exactly. If Redis does not
 * answer within {@code portcullis.limits.redis.timeout}
 * (20 ms), the event is counted here instead: requests are served, a metric and one log line a minute
 * say so, and the next event tries Redis again.
 */
@ApplicationScoped
public class LimitsStore {
    private static final Logger LOG = Logger.getLogger(LimitsStore.class);
    /**
     * A lease of up to ARGV[2] events of KEYS[1]'s window (ARGV[1] ms long) under a limit of ARGV[3]: the
     * events granted, never past the limit, are counted at once. {granted, count, end, now}, by Redis's
     * clock. With no limit ({@link #UNLIMITED}) it is a plain counter of ARGV[2] events.
     */
    static final String LEASE_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local len = tonumber(ARGV[1])
            local v = redis.call('HMGET', KEYS[1], 's', 'c')
            local s = tonumber(v[1])
            local c = tonumber(v[2])
            if s == nil or now - s >= len then s = now; c = 0 end
            local grant = math.min(tonumber(ARGV[2]), math.max(tonumber(ARGV[3]) - c, 0))
            c = c + grant
            redis.call('HSET', KEYS[1], 's', s, 'c', c)
            redis.call('PEXPIRE', KEYS[1], len + 60000)
            return {grant, c, s + len, now}
            """;
    static final String LEASE_SHA = sha1(LEASE_SCRIPT);
    /** The largest integer a Lua number holds exactly: a limit never reached. */
    static final long UNLIMITED = (1L << 53) - 1;
    static final String KEY_PREFIX = "portcullis:limits:";

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final boolean shared;
    private final Duration timeout;
    private final Map<Duration, Windows> local = new ConcurrentHashMap<>();
    /** What this replica knows of each shared window. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Lease> leases = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Redis redis;
    private final AtomicBoolean redisUp = new AtomicBoolean(true);
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile long lastWarning;
    private volatile long lastRecovery;

    /**
     * Events this replica may admit in a key's window without asking Redis again: leased from Redis,
     * which counted them when it granted them, so that every replica together never passes the limit.
     */
    private static final class Lease {
        volatile long endsAtMillis;
        final AtomicLong remaining = new AtomicLong();
        /** Redis's count when this lease was granted, to size the next one. */
        volatile long countAtGrant;
        /** Redis granted nothing: the window is full until it ends. */
        volatile boolean exhausted;
        /** The one lease request of this key on its way (true: Redis answered). */
        CompletableFuture<Boolean> asking;
    }

    @jakarta.inject.Inject
    public LimitsStore(PortcullisConfig config, Vertx vertx, MeterRegistry meters) {
        this(store(config.limits().store()), config.limits().redis().url(), config.limits().redis().timeout(), vertx, meters);
    }

    /** @param redisUrl the Redis to count in, or null to count on this replica */
    LimitsStore(String store, String redisUrl, Duration timeout, Vertx vertx, MeterRegistry meters) {
        this.shared = "redis".equals(store);
        this.timeout = timeout;
        this.redis = shared ? Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
                .setMaxPoolSize(16).setMaxPoolWaiting(1024)) : null;
        meters.gauge("portcullis.limits.redis.up", redisUp, up -> shared && up.get() ? 1 : 0);
        meters.more().counter("portcullis.limits.redis.fallbacks", java.util.List.of(), fallbacks);
    }

    private static String store(String store) {
        if (!"local".equals(store) && !"redis".equals(store)) {
            throw new IllegalStateException("portcullis.limits.store must be local or redis, not " + store);
        }
        return store;
    }

    /** Whether the last count reached Redis (always false for the local store). */
    public boolean redisUp() {
        return shared && redisUp.get();
    }

    /** Counts made on this replica because Redis did not answer in time. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /**
     * Connects, and has Redis compile the script, before the first count: within a count's 20 ms a cold
     * start would count alone.
     */
    void onStart(@Observes StartupEvent event) {
        if (redis == null) {
            return;
        }
        try {
            redis.send(Request.cmd(Command.EVAL).arg(LEASE_SCRIPT).arg(1).arg(KEY_PREFIX + "warm-up").arg(1000).arg(1).arg(UNLIMITED))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            redisUp.set(false);
            LOG.warnf("Redis does not answer yet (%s): limits are counted on this replica until it does", rootName(e));
        }
    }

    public boolean shared() {
        return shared;
    }

    /**
     * Counts one event of {@code key} in its window, by Redis's count with {@code store=redis}: exact.
     */
    public CompletionStage<Windows.Count> add(String key, Duration window) {
        long now = System.currentTimeMillis();
        return shared ? redisAdd(key, window, 1) : CompletableFuture.completedFuture(localAdd(key, window, now, 1));
    }

    /**
     * Counts one event of {@code key} under {@code limit}, without asking Redis for most of them: the
     * replica leases a share of what is left of the window (an eighth, at least one event) and admits
     * from it until it is spent. Redis counts what it grants and grants nothing past the limit, so every
     * replica together never admits more than the limit; units a replica leased and did not use are
     * lost to the window (a limit may admit a little less, never more).
     *
     * @return the count to judge by: at most {@code limit} when admitted, {@code limit + 1} when not
     */
    public CompletionStage<Windows.Count> add(String key, Duration window, long limit) {
        long now = System.currentTimeMillis();
        if (!shared) {
            return CompletableFuture.completedFuture(localAdd(key, window, now, 1));
        }
        return take(key, window, limit, leases.get(key, x -> new Lease()));
    }

    /** A unit of the lease; else the answer of the one lease request on its way, asked if none is. */
    private CompletableFuture<Windows.Count> take(String key, Duration window, long limit, Lease lease) {
        long now = System.currentTimeMillis();
        if (now < lease.endsAtMillis) {
            if (lease.remaining.getAndDecrement() > 0) {
                return CompletableFuture.completedFuture(new Windows.Count(limit, lease.endsAtMillis));
            }
            lease.remaining.incrementAndGet();
            if (lease.exhausted) {
                return CompletableFuture.completedFuture(new Windows.Count(limit + 1, lease.endsAtMillis));
            }
        }
        CompletableFuture<Boolean> asking;
        synchronized (lease) {
            if (lease.asking == null || lease.asking.isDone()) {
                lease.asking = lease(key, window, limit, lease, Math.max(1, (limit - lease.countAtGrant) / 8));
            }
            asking = lease.asking;
        }
        return asking.thenCompose(reached -> reached
                // a granted lease serves every request that waited for it, and then asks again
                ? take(key, window, limit, lease)
                : CompletableFuture.completedFuture(localAdd(key, window, System.currentTimeMillis(), 1)));
    }

    /** Asks Redis for up to {@code wanted} units; true when it answered (the lease is updated), false when not in time. */
    private CompletableFuture<Boolean> lease(String key, Duration window, long limit, Lease lease, long wanted) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        long sentAt = System.currentTimeMillis();
        leaseScript(key, window, wanted, limit)
                .onSuccess(r -> {
                    long granted = r.get(0).toLong();
                    long endsAt = sentAt + (r.get(2).toLong() - r.get(3).toLong());
                    lease.countAtGrant = r.get(1).toLong();
                    // a new window (its end a window away, not a clock's jitter) starts a new lease
                    boolean newWindow = Math.abs(endsAt - lease.endsAtMillis) > window.toMillis() / 2;
                    if (newWindow) {
                        lease.remaining.set(granted);
                    } else {
                        lease.remaining.addAndGet(granted);
                    }
                    lease.exhausted = granted == 0;
                    lease.endsAtMillis = endsAt;
                    result.complete(true);
                })
                .onFailure(result::completeExceptionally);
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((answered, failure) -> {
                    if (failure == null) {
                        recovered();
                        return true;
                    }
                    failedOver(failure);
                    return false;
                });
    }

    /**
     * Whether {@code id} is used for the first time by any replica, remembered until
     * {@code expiresAtMillis} (a DPoP proof's jti at the gateway). The local store answers true: the
     * caller has checked its own memory already. Without Redis in time, true as well, and counted.
     */
    public CompletionStage<Boolean> firstUse(String id, long expiresAtMillis) {
        if (!shared) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        long ttl = Math.max(1, expiresAtMillis - System.currentTimeMillis());
        redis.send(Request.cmd(Command.SET).arg(KEY_PREFIX + "once:" + id).arg(1).arg("NX").arg("PX").arg(ttl))
                .onSuccess(r -> result.complete(r != null && "OK".equals(r.toString())))
                .onFailure(result::completeExceptionally);
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((first, failure) -> {
            if (failure == null) {
                recovered();
                return first;
            }
            failedOver(failure);
            return true;
        });
    }

    /** The window as it stands on this replica, without counting (the shared store is asked only when counting). */
    public Windows.Count peek(String key, Duration window) {
        long now = System.currentTimeMillis();
        return windows(window).peek(key, now);
    }

    /** EVALSHA of the script Redis compiled at start; EVAL once if Redis has forgotten it (a restart). */
    private io.vertx.core.Future<Response> leaseScript(String key, Duration window, long wanted, long limit) {
        return redis.send(Request.cmd(Command.EVALSHA).arg(LEASE_SHA).arg(1).arg(KEY_PREFIX + key).arg(window.toMillis()).arg(wanted).arg(limit))
                .recover(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT")
                        ? redis.send(Request.cmd(Command.EVAL).arg(LEASE_SCRIPT).arg(1).arg(KEY_PREFIX + key).arg(window.toMillis())
                        .arg(wanted).arg(limit))
                        : io.vertx.core.Future.failedFuture(e));
    }

    private CompletableFuture<Windows.Count> redisAdd(String key, Duration window, long events) {
        CompletableFuture<Windows.Count> result = new CompletableFuture<>();
        long sentAt = System.currentTimeMillis();
        leaseScript(key, window, events, UNLIMITED)
                // Redis's window end, on this replica's clock
                .onSuccess(r -> result.complete(new Windows.Count(r.get(1).toLong(), sentAt + (r.get(2).toLong() - r.get(3).toLong()))))
                .onFailure(result::completeExceptionally);
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((count, failure) -> {
                    if (failure == null) {
                        recovered();
                        return count;
                    }
                    failedOver(failure);
                    return localAdd(key, window, System.currentTimeMillis(), events);
                });
    }

    private void recovered() {
        if (!redisUp.getAndSet(true)) {
            long now = System.currentTimeMillis();
            // at most a line a minute, however often Redis comes and goes
            if (now - lastRecovery > 60_000) {
                lastRecovery = now;
                LOG.info("Redis answers again: limits are shared by every replica");
            }
        }
    }

    private void failedOver(Throwable failure) {
        fallbacks.incrementAndGet();
        redisUp.set(false);
        long now = System.currentTimeMillis();
        if (now - lastWarning > 60_000) {
            lastWarning = now;
            LOG.warnf("Redis did not answer within %d ms (%s): limits are counted on this replica until it does",
                    timeout.toMillis(), rootName(failure));
        }
    }

    private Windows.Count localAdd(String key, Duration window, long now, long events) {
        return windows(window).add(key, now, events);
    }

    private Windows windows(Duration window) {
        return local.computeIfAbsent(window, w -> new Windows(w, 1_000_000));
    }

    private static String rootName(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}

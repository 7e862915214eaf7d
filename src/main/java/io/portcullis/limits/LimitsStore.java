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
 * <p>The gateway does not wait for Redis while it is far below a limit ({@link #add(String, Duration, long)}):
 * a burst reaching several replicas at once may then pass the limit by the requests they had in flight;
 * nearer the limit, every answer waits for Redis's count. Token quotas and failed authentications are
 * counted exactly ({@link #add(String, Duration)}). If Redis does not answer within {@code portcullis.limits.redis.timeout}
 * (20 ms), the event is counted here instead: requests are served, a metric and one log line a minute
 * say so, and the next event tries Redis again.
 */
@ApplicationScoped
public class LimitsStore {
    private static final Logger LOG = Logger.getLogger(LimitsStore.class);
    /** KEYS[1] the window, ARGV[1] its length in ms, ARGV[2] the events to add: {count, end, now} by Redis's clock. */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local len = tonumber(ARGV[1])
            local v = redis.call('HMGET', KEYS[1], 's', 'c')
            local s = tonumber(v[1])
            local c = tonumber(v[2])
            if s == nil or now - s >= len then s = now; c = 0 end
            c = c + tonumber(ARGV[2])
            redis.call('HSET', KEYS[1], 's', s, 'c', c)
            redis.call('PEXPIRE', KEYS[1], len + 60000)
            return {c, s + len, now}
            """;
    static final String KEY_PREFIX = "portcullis:limits:";

    private final boolean shared;
    private final Duration timeout;
    private final Map<Duration, Windows> local = new ConcurrentHashMap<>();
    /** What this replica knows of each shared window. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Known> known = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Redis redis;
    private final AtomicBoolean redisUp = new AtomicBoolean(true);
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile long lastWarning;
    private volatile long lastRecovery;

    private static final class Known {
        volatile long count;
        volatile long endsAtMillis;
        final AtomicLong inFlight = new AtomicLong();
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
            redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(KEY_PREFIX + "warm-up").arg(1000).arg(1))
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
        return shared ? redisAdd(key, window, null) : CompletableFuture.completedFuture(localAdd(key, window, now));
    }

    /**
     * Counts one event of {@code key} in its window; far below {@code limit}, without waiting for Redis.
     * While this replica's last word from Redis, plus what it has sent since, is at most half the limit,
     * the answer does not wait: a burst reaching several replicas at once may then pass the limit by the
     * requests they had in flight; nearer the limit every answer waits for Redis's count.
     */
    public CompletionStage<Windows.Count> add(String key, Duration window, long limit) {
        long now = System.currentTimeMillis();
        if (!shared) {
            return CompletableFuture.completedFuture(localAdd(key, window, now));
        }
        Known k = known.get(key, x -> new Known());
        long inFlight = k.inFlight.incrementAndGet();
        CompletableFuture<Windows.Count> counted = redisAdd(key, window, k)
                .whenComplete((c, failure) -> k.inFlight.decrementAndGet());
        if (now < k.endsAtMillis && k.count + inFlight <= limit / 2) {
            // well under the limit, whatever the other replicas did since: answer now, count in the background
            return CompletableFuture.completedFuture(new Windows.Count(k.count + inFlight, k.endsAtMillis));
        }
        return counted;
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
        Known k = shared ? known.getIfPresent(key) : null;
        if (k != null && now < k.endsAtMillis) {
            return new Windows.Count(k.count, k.endsAtMillis);
        }
        return windows(window).peek(key, now);
    }

    private CompletableFuture<Windows.Count> redisAdd(String key, Duration window, Known k) {
        CompletableFuture<Windows.Count> result = new CompletableFuture<>();
        long sentAt = System.currentTimeMillis();
        redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(KEY_PREFIX + key).arg(window.toMillis()).arg(1))
                .onSuccess(r -> result.complete(answered(r, k, sentAt)))
                .onFailure(result::completeExceptionally);
        return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((count, failure) -> {
                    // Known k may be null: an exact count keeps no estimate
                    if (failure == null) {
                        recovered();
                        return count;
                    }
                    failedOver(failure);
                    return localAdd(key, window, System.currentTimeMillis());
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

    private static Windows.Count answered(Response r, Known k, long sentAt) {
        long count = r.get(0).toLong();
        long end = r.get(1).toLong();
        long redisNow = r.get(2).toLong();
        // Redis's window end, on this replica's clock
        long endsAt = sentAt + (end - redisNow);
        if (k != null && (count >= k.count || endsAt > k.endsAtMillis)) {
            k.count = count;
            k.endsAtMillis = endsAt;
        }
        return new Windows.Count(count, endsAt);
    }

    private Windows.Count localAdd(String key, Duration window, long now) {
        return windows(window).add(key, now);
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

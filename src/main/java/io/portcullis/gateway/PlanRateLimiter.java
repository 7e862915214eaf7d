package io.portcullis.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * A plan's rate limit: requests per minute per subscription, counted by each replica for the
 * requests it serves (so N replicas behind a balancer admit up to N times the limit; docs/contract.md
 * says so). A window starts at a subscription's first request after the last one ended and lasts a
 * minute: a burst is never split by a clock minute (which would admit twice the limit across the
 * boundary), and the time is passed in, so that tests hold the clock.
 */
@ApplicationScoped
public class PlanRateLimiter {
    static final long WINDOW_MILLIS = 60_000;

    /** Immutable: compute() replaces it, so a reader never sees half an update. */
    private record Window(long startMillis, int count) {
    }

    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(1_000_000)
            .build();

    /** @return 0 when the request may pass, else the seconds until the window ends (Retry-After) */
    public long acquire(String subscriptionId, int limitPerMinute, long nowMillis) {
        Window window = windows.asMap().compute(subscriptionId, (id, current) ->
                current == null || nowMillis - current.startMillis() >= WINDOW_MILLIS
                        ? new Window(nowMillis, 1)
                        : new Window(current.startMillis(), current.count() + 1));
        if (window.count() <= limitPerMinute) {
            return 0;
        }
        return Math.max(1, (window.startMillis() + WINDOW_MILLIS - nowMillis + 999) / 1000);
    }
}

package io.portcullis.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plan's rate limit: requests per minute per subscription, in fixed one-minute windows, counted
 * by each replica for the requests it serves (so N replicas behind a balancer admit up to N times
 * the limit; the README says so).
 */
@ApplicationScoped
public class PlanRateLimiter {
    private record Window(long minute, AtomicInteger count) {
    }

    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(1_000_000)
            .build();

    /** @return 0 when the request may pass, else the seconds until the window ends (Retry-After) */
    public long acquire(String subscriptionId, int limitPerMinute, long nowMillis) {
        long minute = nowMillis / 60_000;
        Window window = windows.asMap().compute(subscriptionId,
                (id, current) -> current == null || current.minute() != minute ? new Window(minute, new AtomicInteger()) : current);
        if (window.count().incrementAndGet() <= limitPerMinute) {
            return 0;
        }
        return Math.max(1, ((minute + 1) * 60_000 - nowMillis + 999) / 1000);
    }
}

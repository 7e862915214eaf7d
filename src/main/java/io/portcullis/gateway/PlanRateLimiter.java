package io.portcullis.gateway;

import io.portcullis.limits.Windows;

import java.time.Duration;

/**
 * A plan's rate limit: requests per minute per subscription (docs/contract.md#gateway). A window starts
 * at a subscription's first request after the last one ended and lasts a minute, so that a burst is
 * never split by a clock minute; {@link io.portcullis.limits.LimitsStore} counts it, on this replica or
 * in Redis for every replica.
 */
public final class PlanRateLimiter {
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private PlanRateLimiter() {
    }

    /** The counter of a subscription's requests. */
    public static String key(String subscriptionId) {
        return "plan:" + subscriptionId;
    }

    /** @return 0 when the request may pass, else the seconds until its window ends (Retry-After) */
    public static long retryAfter(Windows.Count count, int limitPerMinute, long nowMillis) {
        return count.count() <= limitPerMinute ? 0 : count.secondsLeft(nowMillis);
    }
}

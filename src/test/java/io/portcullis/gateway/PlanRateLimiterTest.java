package io.portcullis.gateway;

import io.portcullis.limits.Windows;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A plan's per-minute limit, with the clock in the test's hands. */
class PlanRateLimiterTest {
    @Test
    void aWindowStartsAtTheFirstRequestAndLastsAMinute() {
        Windows windows = new Windows(PlanRateLimiter.WINDOW, 100);
        long t = 1_000_000_059_500L; // half a second before a clock minute ends: no matter
        assertEquals(0, PlanRateLimiter.retryAfter(windows.add("s", t), 2, t));
        assertEquals(0, PlanRateLimiter.retryAfter(windows.add("s", t + 1_000), 2, t + 1_000));
        assertEquals(59, PlanRateLimiter.retryAfter(windows.add("s", t + 1_000), 2, t + 1_000), "the third waits until a minute after the first");
        assertEquals(0, PlanRateLimiter.retryAfter(windows.add("other", t + 1_000), 2, t + 1_000), "each subscription counts alone");
        assertEquals(1, PlanRateLimiter.retryAfter(windows.add("s", t + 59_999), 2, t + 59_999));
        assertEquals(0, PlanRateLimiter.retryAfter(windows.add("s", t + 60_000), 2, t + 60_000), "a new window");
    }
}

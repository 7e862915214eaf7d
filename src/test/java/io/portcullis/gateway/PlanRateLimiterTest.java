package io.portcullis.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A plan's per-minute limit, with the clock in the test's hands. */
class PlanRateLimiterTest {
    @Test
    void aWindowStartsAtTheFirstRequestAndLastsAMinute() {
        PlanRateLimiter limiter = new PlanRateLimiter();
        long t = 1_000_000_059_500L; // half a second before a clock minute ends: no matter
        assertEquals(0, limiter.acquire("s", 2, t));
        assertEquals(0, limiter.acquire("s", 2, t + 1_000));
        assertEquals(59, limiter.acquire("s", 2, t + 1_000), "the third waits until a minute after the first");
        assertEquals(0, limiter.acquire("other", 2, t + 1_000), "each subscription counts alone");
        assertEquals(1, limiter.acquire("s", 2, t + 59_999));
        assertEquals(0, limiter.acquire("s", 2, t + 60_000), "a new window");
    }
}

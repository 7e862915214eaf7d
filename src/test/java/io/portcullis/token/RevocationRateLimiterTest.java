package io.portcullis.token;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A client's revocations per minute, with a clock the test holds. */
class RevocationRateLimiterTest {
    @Test
    void theLimitHoldsForAMinuteFromTheFirstRevocation() {
        RevocationRateLimiter limiter = new RevocationRateLimiter(3);
        assertEquals(0, limiter.acquire("a", 1_000));
        assertEquals(0, limiter.acquire("a", 1_010));
        assertEquals(0, limiter.acquire("a", 1_020));
        assertEquals(40, limiter.acquire("a", 1_020), "the fourth waits for the window's end");
        assertEquals(0, limiter.acquire("b", 1_020), "another client has its own count");
        assertEquals(1, limiter.acquire("a", 1_059));
        assertEquals(0, limiter.acquire("a", 1_060), "a new window");
    }
}

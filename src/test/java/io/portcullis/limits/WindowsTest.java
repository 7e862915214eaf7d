package io.portcullis.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Windows that start at a key's first event, with the clock held by the test. */
class WindowsTest {
    @Test
    void aWindowStartsAtTheFirstEventAndLastsItsLength() {
        Windows windows = new Windows(Duration.ofMinutes(1), 100);
        long t0 = 1_000_000;
        assertEquals(new Windows.Count(1, t0 + 60_000), windows.add("a", t0));
        assertEquals(new Windows.Count(2, t0 + 60_000), windows.add("a", t0 + 59_999));
        assertEquals(1, windows.add("b", t0 + 30_000).count(), "each key counts alone");
        // a burst across a clock minute is one window: the next starts only when this one has ended
        assertEquals(new Windows.Count(1, t0 + 120_000), windows.add("a", t0 + 60_000));
        assertEquals(60, windows.add("a", t0 + 60_500).secondsLeft(t0 + 60_500), "whole seconds, rounded up");
    }

    @Test
    void peekingCountsNothing() {
        Windows windows = new Windows(Duration.ofHours(1), 100);
        assertEquals(0, windows.peek("a", 0).count());
        windows.add("a", 0);
        assertEquals(1, windows.peek("a", 10).count());
        assertEquals(1, windows.peek("a", 10).count());
        assertEquals(0, windows.peek("a", 3_600_000).count(), "an ended window is empty");
        assertEquals(3600, windows.peek("a", 0).secondsLeft(0));
    }
}

package io.portcullis.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * Counters in windows that start at a key's first event after its last window ended (a burst is never
 * split by a clock boundary, which would admit twice a limit across it), counted by this replica. The
 * time is passed in, so that tests hold the clock. Bounded: a window not touched for its length and a
 * minute is forgotten.
 */
public final class Windows {
    /** A window's state after an event: how many it holds, and when it ends. */
    public record Count(long count, long endsAtMillis) {
        public long secondsLeft(long nowMillis) {
            return Math.max(1, (endsAtMillis - nowMillis + 999) / 1000);
        }
    }

    private record Window(long startMillis, long count) {
    }

    private final long lengthMillis;
    private final Cache<String, Window> windows;

    public Windows(Duration length, long maxKeys) {
        this.lengthMillis = length.toMillis();
        // a count per request: Caffeine's upkeep on the counting thread, not handed to ForkJoinPool.commonPool;
        // expired windows swept on the JDK's timer thread, not by the first count after a quiet spell
        this.windows = Caffeine.newBuilder().executor(Runnable::run).scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(length.plusMinutes(1)).maximumSize(maxKeys).build();
    }

    /** Counts one event of {@code key}. */
    public Count add(String key, long nowMillis) {
        return add(key, nowMillis, 1);
    }

    /** Counts {@code events} events of {@code key} at once. */
    public Count add(String key, long nowMillis, long events) {
        Window w = windows.asMap().compute(key, (k, current) -> current == null || nowMillis - current.startMillis() >= lengthMillis
                ? new Window(nowMillis, events) : new Window(current.startMillis(), current.count() + events));
        return new Count(w.count(), w.startMillis() + lengthMillis);
    }

    /** The window of {@code key} as it stands, without counting. */
    public Count peek(String key, long nowMillis) {
        Window w = windows.getIfPresent(key);
        return w == null || nowMillis - w.startMillis() >= lengthMillis ? new Count(0, nowMillis + lengthMillis)
                : new Count(w.count(), w.startMillis() + lengthMillis);
    }
}

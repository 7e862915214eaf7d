package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * How many tokens one client may revoke a minute, per replica. Each revocation is remembered by
 * every replica until its token expires, so issue-then-revoke in a loop would grow that memory
 * without bound; at {@value #MAX_PER_MINUTE} a minute and tokens of at most a day, one client can hold
 * at most 86,400 entries of about 100 bytes. The window starts at a client's first revocation, so
 * that no clock boundary splits a burst. Plain state and the time passed in: tested without HTTP.
 */
final class RevocationRateLimiter {
    static final int MAX_PER_MINUTE = 60;
    private static final long WINDOW_SECONDS = 60;

    private final int limit;
    /** client id to its window: start (epoch second) and count. */
    private final Cache<String, long[]> windows = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(WINDOW_SECONDS * 2))
            .maximumSize(100_000)
            .build();

    RevocationRateLimiter(int limit) {
        this.limit = limit;
    }

    /** Counts one revocation; 0 when it may go ahead, else the seconds until it may. */
    long acquire(String clientId, long nowEpochSecond) {
        long[] window = windows.asMap().compute(clientId, (id, current) -> {
            if (current == null || nowEpochSecond - current[0] >= WINDOW_SECONDS) {
                return new long[]{nowEpochSecond, 1};
            }
            return new long[]{current[0], current[1] + 1};
        });
        return window[1] <= limit ? 0 : Math.max(1, window[0] + WINDOW_SECONDS - nowEpochSecond);
    }
}

package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed client authentications per client id in fixed windows; past
 * {@code portcullis.lockout.max-failures} in one window the client id is refused with 429 until
 * the window ends (CONTRACT section 2). A success does not reset the count: an attacker's failures
 * must not be wiped by the real client's next request.
 */
@ApplicationScoped
public class FailedAuthenticationLimiter {
    private record Window(long startNanos, AtomicInteger failures) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final Cache<String, Window> windows;

    public FailedAuthenticationLimiter(PortcullisConfig config) {
        this.maxFailures = config.lockout().maxFailures();
        this.windowNanos = config.lockout().window().toNanos();
        this.windows = Caffeine.newBuilder()
                .expireAfterWrite(config.lockout().window())
                .maximumSize(100_000)
                .build();
    }

    /** @throws OAuthError 429 when the client id is locked out */
    public void checkAllowed(String clientId) {
        Window window = windows.getIfPresent(clientId);
        if (window != null && window.failures().get() >= maxFailures) {
            long remainingNanos = windowNanos - (System.nanoTime() - window.startNanos());
            throw OAuthError.tooManyFailures(Math.max(1, (remainingNanos + 999_999_999L) / 1_000_000_000L));
        }
    }

    public void recordFailure(String clientId) {
        windows.get(clientId, id -> new Window(System.nanoTime(), new AtomicInteger())).failures().incrementAndGet();
    }
}

package io.portcullis.token;

import io.portcullis.limits.LimitsStore;
import io.portcullis.limits.Windows;
import io.portcullis.registry.TokenQuota;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan's token quota, counted per subscription (docs/contract.md#token-policy), and its
 * RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers): {@code q} the quota,
 * {@code w} its window in seconds, {@code r} what remains, {@code t} the seconds until it resets.
 */
@ApplicationScoped
public class TokenQuotas {
    static final String POLICY = "\"tokens\"";

    /** How long a count may wait for the shared store before it is made here (the store keeps its own budget too). */
    static final long WAIT_MILLIS = 1000;

    private final LimitsStore limits;

    public TokenQuotas(LimitsStore limits) {
        this.limits = limits;
    }

    /** Where a subscription stands against its quota after a request. */
    public record Standing(TokenQuota quota, long used, long secondsLeft) {
        public boolean exceeded() {
            return used > quota.limit();
        }

        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("RateLimit-Policy", POLICY + ";q=" + quota.limit() + ";w=" + quota.windowLength().toSeconds());
            headers.put("RateLimit", POLICY + ";r=" + Math.max(0, quota.limit() - used) + ";t=" + secondsLeft);
            return headers;
        }
    }

    /** Counts a token about to be issued (a worker thread: it may wait for Redis, within the store's budget). */
    public Standing count(String subscriptionId, TokenQuota quota, long nowMillis) {
        try {
            Windows.Count c = limits.add(key(subscriptionId, quota), quota.windowLength()).toCompletableFuture()
                    .get(WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            return new Standing(quota, c.count(), c.secondsLeft(nowMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OAuthError.temporarilyUnavailable();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw OAuthError.temporarilyUnavailable();
        }
    }

    /** Where the subscription stands, without counting: for the answers that issue nothing. */
    public Standing peek(String subscriptionId, TokenQuota quota, long nowMillis) {
        Windows.Count c = limits.peek(key(subscriptionId, quota), quota.windowLength());
        return new Standing(quota, c.count(), c.secondsLeft(nowMillis));
    }

    private static String key(String subscriptionId, TokenQuota quota) {
        return "quota:" + quota.window() + ":" + subscriptionId;
    }
}

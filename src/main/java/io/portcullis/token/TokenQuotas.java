package io.portcullis.token;

import io.portcullis.limits.Windows;
import io.portcullis.registry.TokenQuota;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A plan's token quota, counted per subscription (docs/contract.md#token-policy), and its
 * RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers): {@code q} the quota,
 * {@code w} its window in seconds, {@code r} what remains, {@code t} the seconds until it resets.
 */
@ApplicationScoped
public class TokenQuotas {
    static final String POLICY = "\"tokens\"";
    static final long MAX_SUBSCRIPTIONS = 1_000_000;

    /** One set of windows per window length: minute, hour, day. */
    private final Map<String, Windows> byWindow = new ConcurrentHashMap<>();

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

    /** Counts a token about to be issued. */
    public Standing count(String subscriptionId, TokenQuota quota, long nowMillis) {
        Windows.Count c = windows(quota).add(subscriptionId, nowMillis);
        return new Standing(quota, c.count(), c.secondsLeft(nowMillis));
    }

    /** Where the subscription stands, without counting: for the answers that issue nothing. */
    public Standing peek(String subscriptionId, TokenQuota quota, long nowMillis) {
        Windows.Count c = windows(quota).peek(subscriptionId, nowMillis);
        return new Standing(quota, c.count(), c.secondsLeft(nowMillis));
    }

    private Windows windows(TokenQuota quota) {
        return byWindow.computeIfAbsent(quota.window(), w -> new Windows(quota.windowLength(), MAX_SUBSCRIPTIONS));
    }
}

package io.portcullis.registry;

import java.time.Duration;
import java.util.Locale;

/**
 * A plan's token quota (docs/contract.md#token-policy): at most {@code limit} tokens per subscription
 * per {@code window} ({@code minute}, {@code hour} or {@code day}); {@code enforce} refuses the ones
 * over it, {@code report} issues them and counts them.
 */
public record TokenQuota(Integer limit, String window, String mode) {
    public static final String ENFORCE = "enforce";
    public static final String REPORT = "report";

    public Duration windowLength() {
        return switch (window) {
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            default -> throw new IllegalStateException("not a window: " + window);
        };
    }

    public boolean enforced() {
        return ENFORCE.equals(mode);
    }

    /** The quota with its defaults (mode enforce), or a refusal naming the field. */
    static TokenQuota checked(TokenQuota q) {
        if (q == null) {
            return null;
        }
        if (q.limit() == null || q.limit() < 1 || q.limit() > 1_000_000_000) {
            throw RegistryException.invalid("tokenQuota", "tokenQuota.limit must be between 1 and 1000000000");
        }
        String window = q.window() == null ? null : q.window().toLowerCase(Locale.ROOT);
        if (!("minute".equals(window) || "hour".equals(window) || "day".equals(window))) {
            throw RegistryException.invalid("tokenQuota", "tokenQuota.window must be minute, hour or day");
        }
        String mode = q.mode() == null ? ENFORCE : q.mode().toLowerCase(Locale.ROOT);
        if (!(ENFORCE.equals(mode) || REPORT.equals(mode))) {
            throw RegistryException.invalid("tokenQuota", "tokenQuota.mode must be enforce or report");
        }
        return new TokenQuota(q.limit(), window, mode);
    }

    static TokenQuota of(Plan p) {
        return p.tokenQuotaLimit == null ? null : new TokenQuota(p.tokenQuotaLimit, p.tokenQuotaWindow, p.tokenQuotaMode);
    }
}

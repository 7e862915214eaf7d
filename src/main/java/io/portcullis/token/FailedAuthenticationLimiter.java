package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Brute force protection (docs/contract.md#token-endpoint): failed client authentications are counted per client
 * id and per source address, in fixed windows, in the database so that every replica adds to the
 * same counts. Past {@code portcullis.lockout.max-failures} for a client id, or
 * {@code max-failures-per-address} for an address, the token endpoint answers 429 until the window ends. A locked subject is remembered
 * in memory, so an attacker's further tries cost no database write. A success resets nothing: the
 * real client's success must not wipe an attacker's count.
 */
@ApplicationScoped
public class FailedAuthenticationLimiter {
    private static final Logger LOG = Logger.getLogger(FailedAuthenticationLimiter.class);
    private final int maxFailures;
    private final int maxFailuresPerAddress;
    private final long windowSeconds;
    private final EntityManager em;
    /** Subjects known to be locked, until the end of their window (epoch second). */
    private final Cache<String, Long> locked;
    /** Failures counted here while the database cannot be written. */
    private final Cache<String, java.util.concurrent.atomic.AtomicInteger> localCounts;

    public FailedAuthenticationLimiter(PortcullisConfig config, EntityManager em) {
        this.maxFailures = config.lockout().maxFailures();
        this.maxFailuresPerAddress = config.lockout().maxFailuresPerAddress();
        this.windowSeconds = Math.max(1, config.lockout().window().toSeconds());
        this.em = em;
        this.locked = Caffeine.newBuilder().expireAfterWrite(config.lockout().window()).maximumSize(200_000).build();
        this.localCounts = Caffeine.newBuilder().expireAfterWrite(config.lockout().window()).maximumSize(200_000).build();
    }

    /** @throws OAuthError 429 when the client id or the address is locked out */
    public void checkAllowed(String clientId, String address) {
        long now = Instant.now().getEpochSecond();
        for (String subject : subjects(clientId, address)) {
            Long until = locked.getIfPresent(subject);
            if (until != null && until > now) {
                throw OAuthError.tooManyFailures(until - now);
            }
        }
    }

    /** Counts a failure for the client id and the address; locks whichever passed its threshold. */
    public void recordFailure(String clientId, String address) {
        long now = Instant.now().getEpochSecond();
        long windowStart = now - now % windowSeconds;
        for (String subject : subjects(clientId, address)) {
            int limit = subject.startsWith("address:") ? maxFailuresPerAddress : maxFailures;
            try {
                int failures = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                                "insert into failed_authentication (subject, window_start, failures) values (?1, ?2, 1) "
                                        + "on conflict (subject, window_start) do update set failures = failed_authentication.failures + 1 "
                                        + "returning failures")
                        .setParameter(1, subject)
                        .setParameter(2, Instant.ofEpochSecond(windowStart))
                        .getSingleResult()).intValue());
                if (failures >= limit) {
                    locked.put(subject, windowStart + windowSeconds);
                }
            } catch (RuntimeException e) {
                // the database is away: count here, so this replica still locks an attacker out
                LOG.debugf("Failed authentication counted in memory only (%s)", e.getClass().getSimpleName());
                int failures = localCounts.get(subject, s -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                if (failures >= limit) {
                    locked.put(subject, windowStart + windowSeconds);
                }
            }
        }
    }

    private static String[] subjects(String clientId, String address) {
        if (address == null) {
            return new String[]{"client:" + clientId};
        }
        return clientId == null ? new String[]{"address:" + address} : new String[]{"client:" + clientId, "address:" + address};
    }
}

package io.portcullis.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.limits.LimitsStore;
import io.portcullis.limits.Windows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Brute force protection (docs/contract.md#token-endpoint): failed client authentications are counted per client
 * id and per source address, in windows that start at a subject's first failure, in the database (in
 * Redis with {@code portcullis.limits.store=redis}) so
 * that every replica adds to the same counts. Past {@code portcullis.lockout.max-failures} for a client id, or
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
    private final LimitsStore limits;
    /** Subjects known to be locked, until the end of their window (epoch second). */
    private final Cache<String, Long> locked;
    /** Failures counted here while the database cannot be written. */
    private final Cache<String, java.util.concurrent.atomic.AtomicInteger> localCounts;

    public FailedAuthenticationLimiter(PortcullisConfig config, EntityManager em, LimitsStore limits) {
        this.limits = limits;
        this.maxFailures = config.lockout().maxFailures();
        this.maxFailuresPerAddress = config.lockout().maxFailuresPerAddress();
        this.windowSeconds = Math.max(1, config.lockout().window().toSeconds());
        this.em = em;
        // read on every token request: Caffeine's upkeep on that thread, not handed to ForkJoinPool.commonPool;
        // expired entries swept on the JDK's timer thread, not by the first request after a quiet spell
        this.locked = Caffeine.newBuilder().executor(Runnable::run).scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(config.lockout().window()).maximumSize(200_000).build();
        this.localCounts = Caffeine.newBuilder().executor(Runnable::run).scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(config.lockout().window()).maximumSize(200_000).build();
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

    /**
     * Counts a failure for the client id and the address; locks whichever passed its threshold. A
     * subject's window starts at its first failure after the last window ended, by the database's
     * clock (one clock for every replica), and lasts {@code portcullis.lockout.window}.
     */
    public void recordFailure(String clientId, String address) {
        String[] subjects = subjects(clientId, address);
        if (limits.shared()) {
            for (String subject : subjects) {
                recordInRedis(subject, limit(subject));
            }
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            java.util.List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> {
                // a count lost to a crash of PostgreSQL itself (its last fraction of a second) gives an
                // attacker a few more tries once; waiting for the disk would make every refusal cost a flush
                em.createNativeQuery("set local synchronous_commit to off").executeUpdate();
                // every subject in one statement, in the same order (client before address) for every
                // caller, so that two refusals never wait on each other's rows in opposite orders
                return em.createNativeQuery(
                                "insert into failed_authentication (subject, window_start, failures) "
                                        + "select s, now(), 1 from unnest(cast(?1 as text[])) with ordinality as t(s, n) order by n "
                                        + "on conflict (subject) do update set "
                                        + "window_start = case when failed_authentication.window_start <= now() - make_interval(secs => ?2) "
                                        + "then now() else failed_authentication.window_start end, "
                                        + "failures = case when failed_authentication.window_start <= now() - make_interval(secs => ?2) "
                                        + "then 1 else failed_authentication.failures + 1 end "
                                        + "returning subject, failures, extract(epoch from window_start)::bigint")
                        .setParameter(1, subjects)
                        .setParameter(2, (double) windowSeconds)
                        .getResultList();
            });
            for (Object[] row : rows) {
                String subject = (String) row[0];
                if (((Number) row[1]).intValue() >= limit(subject)) {
                    locked.put(subject, ((Number) row[2]).longValue() + windowSeconds);
                }
            }
        } catch (RuntimeException e) {
            // the database is away (or this write lost a deadlock to the purge): count here, so this
            // replica still locks an attacker out
            if (io.portcullis.registry.DatabaseFailures.isUnreachable(e)) {
                LOG.debugf("Failed authentication counted in memory only (%s)", e.getClass().getSimpleName());
            } else {
                LOG.warnf("Failed authentication counted in memory only: %s", e.getClass().getName());
            }
            for (String subject : subjects) {
                int failures = localCounts.get(subject, s -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                if (failures >= limit(subject)) {
                    locked.put(subject, Instant.now().getEpochSecond() + windowSeconds);
                }
            }
        }
    }

    private int limit(String subject) {
        return subject.startsWith("address:") ? maxFailuresPerAddress : maxFailures;
    }

    /**
     * With {@code portcullis.limits.store=redis}, the counts live in Redis (its window script, by its
     * clock), shared by every replica without a database write per failure.
     */
    private void recordInRedis(String subject, int limit) {
        try {
            Windows.Count count = limits.add("fail:" + subject, Duration.ofSeconds(windowSeconds)).toCompletableFuture()
                    .get(1, TimeUnit.SECONDS);
            if (count.count() >= limit) {
                locked.put(subject, count.endsAtMillis() / 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the store answers by itself within its budget (counting here when Redis is away): not reached
            LOG.debugf("Failed authentication not counted (%s)", e.getClass().getSimpleName());
        }
    }

    private static String[] subjects(String clientId, String address) {
        if (address == null) {
            return new String[]{"client:" + clientId};
        }
        return clientId == null ? new String[]{"address:" + address} : new String[]{"client:" + clientId, "address:" + address};
    }

    /** A window that ended an hour ago counts for nothing. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            // rows locked in the order a failure takes them (its client id's, then its address's:
            // 'client:' sorts after 'address:'), so that the purge and a failure never wait on each other
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "delete from failed_authentication where subject in (select subject from failed_authentication "
                                    + "where window_start < now() - make_interval(secs => ?1) order by subject desc for update)")
                    .setParameter(1, (double) (windowSeconds + 3600)).executeUpdate());
        } catch (RuntimeException e) {
            LOG.debugf("Purge of failed authentications skipped: %s", e.getClass().getSimpleName());
        }
    }
}

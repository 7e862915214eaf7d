package io.portcullis.token;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Revoked tokens (RFC 7009), as every replica sees them. A revocation is written to
 * {@code revoked_token}; each replica polls that table every
 * {@code portcullis.revocation.poll-interval} for rows newer than its last successful poll (by the
 * database's clock, with an overlap that covers transactions still open then), so it refuses the
 * token within that interval. A lost connection only delays the next poll, which then reads everything
 * it missed. Rows are purged once their token would have expired anyway.
 */
@ApplicationScoped
public class Revocations {
    private static final Logger LOG = Logger.getLogger(Revocations.class);
    /** How far back each poll looks before the previous one: longer than any revoking transaction. */
    private static final int OVERLAP_SECONDS = 10;

    private final EntityManager em;
    private final PortcullisConfig config;
    /** jti to the epoch second its token expires. */
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private volatile OffsetDateTime since;
    private volatile boolean failing;
    private ScheduledExecutorService poller;

    private final javax.sql.DataSource dataSource;

    public Revocations(EntityManager em, PortcullisConfig config, io.agroal.api.AgroalDataSource dataSource) {
        this.em = em;
        this.dataSource = dataSource;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        poll();
        long interval = config.revocation().pollInterval().toMillis();
        // a thread of its own: Quarkus's scheduler checks its triggers once a second, and revocations
        // reach every replica within 250 ms (docs/contract.md)
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "revocation-poll");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    public boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /** Records the revocation, here at once and for the other replicas through the table. */
    public void revoke(String jti, String clientId, long expiresAtEpochSecond) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "insert into revoked_token (jti, client_id, expires_at) values (?1, ?2, ?3) on conflict (jti) do nothing")
                .setParameter(1, jti)
                .setParameter(2, clientId)
                .setParameter(3, Instant.ofEpochSecond(expiresAtEpochSecond))
                .executeUpdate());
        revoked.put(jti, expiresAtEpochSecond);
    }

    /**
     * One statement, over JDBC rather than Hibernate: it runs four times a second on every replica,
     * and through a native query, a transaction and a second {@code select now()} it was ~4% of a busy
     * gateway's CPU in a JFR profile. The last row is always the database's clock, alone. Public so
     * that a test can take the poller's turn instead of waiting for it.
     */
    public void poll() {
        OffsetDateTime from = since;
        String sql = (from == null
                ? "select jti, extract(epoch from expires_at)::bigint, now() from revoked_token where expires_at > now()"
                : "select jti, extract(epoch from expires_at)::bigint, now() from revoked_token where revoked_at > ?")
                + " union all select null, null, now()";
        try (java.sql.Connection connection = dataSource.getConnection();
             java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            if (from != null) {
                statement.setObject(1, from.minusSeconds(OVERLAP_SECONDS));
            }
            OffsetDateTime now = null;
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String jti = rows.getString(1);
                    if (jti != null) {
                        revoked.put(jti, rows.getLong(2));
                    }
                    now = rows.getObject(3, OffsetDateTime.class);
                }
            }
            since = now;
            if (failing) {
                LOG.info("Revocations are readable again");
                failing = false;
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warnf("Cannot poll revocations (%s); will read what was missed once the database answers",
                        e.getClass().getSimpleName());
                failing = true;
            }
        }
    }

    /** A revoked token that has expired is refused anyway: it is forgotten here and in the table. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long now = Instant.now().getEpochSecond();
        revoked.values().removeIf(expiresAt -> expiresAt < now);
        try {
            QuarkusTransaction.requiringNew().run(() ->
                    em.createNativeQuery("delete from revoked_token where expires_at < now()").executeUpdate());
        } catch (RuntimeException e) {
            LOG.debugf("Revocation purge skipped: %s", e.getClass().getSimpleName());
        }
    }
}

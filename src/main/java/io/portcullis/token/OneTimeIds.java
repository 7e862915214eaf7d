package io.portcullis.token;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;

/**
 * Identifiers accepted once, by every replica: the jti of a private_key_jwt assertion (RFC 7523
 * section 3) and of a DPoP proof at the token endpoint (RFC 9449 section 11.1). Each is kept until
 * it could no longer be accepted anyway, then purged.
 */
@ApplicationScoped
public class OneTimeIds {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OneTimeIds.class);

    /** Where each kind is kept, and what it is unique per. */
    public enum Kind {
        ASSERTION("used_assertion", "client_id"),
        DPOP_PROOF("dpop_proof_jti", "jkt");

        final String table;
        final String owner;

        Kind(String table, String owner) {
            this.table = table;
            this.owner = owner;
        }
    }

    private final EntityManager em;

    public OneTimeIds(EntityManager em) {
        this.em = em;
    }

    /** Records the id; false when it was used before (a replay). */
    public boolean firstUse(Kind kind, String owner, String jti, long expiresAtEpochSecond) {
        if (jti == null || jti.length() > 256) {
            return false;
        }
        int inserted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "insert into " + kind.table + " (" + kind.owner + ", jti, expires_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, owner)
                .setParameter(2, jti)
                .setParameter(3, Instant.ofEpochSecond(expiresAtEpochSecond))
                .executeUpdate());
        return inserted == 1;
    }

    /** An id past its expiry could not be accepted again anyway. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (Kind kind : Kind.values()) {
                    em.createNativeQuery("delete from " + kind.table + " where expires_at < now()").executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.debugf("Purge of used ids skipped: %s", e.getClass().getSimpleName());
        }
    }
}

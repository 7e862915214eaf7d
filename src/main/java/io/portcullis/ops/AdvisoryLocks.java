package io.portcullis.ops;

/**
 * The PostgreSQL advisory locks (transaction-scoped) that keep replicas starting together from doing
 * the same one-time work twice. One list, so that no two uses pick the same number by hand.
 */
public enum AdvisoryLocks {
    /** Creating or rotating the signing keys ("port"; the number replicas of earlier versions take too). */
    SIGNING_KEYS(0x706f7274L),
    /** Creating the built-in admin API and the configured admin client. */
    ADMIN_BOOTSTRAP(7070),
    /** Applying the declarative registry file. */
    CONFIG_FILE(7071);

    public final long id;

    AdvisoryLocks(long id) {
        this.id = id;
    }

    /** Takes the lock until the current transaction ends. */
    public void acquire() {
        io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("select pg_advisory_xact_lock(" + id + ")").getSingleResult();
    }
}

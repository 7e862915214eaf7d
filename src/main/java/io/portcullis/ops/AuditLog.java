package io.portcullis.ops;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail, written off the request path: records are queued in memory and inserted in
 * batches every few hundred milliseconds. While the database is away they wait (up to the queue's
 * bound) and are written when it returns; on a clean shutdown the queue is drained first.
 */
@ApplicationScoped
public class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final int BATCH = 500;

    private final AgroalDataSource dataSource;
    private final LinkedBlockingQueue<AuditEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    /**
     * What the queued records hold, bounded by {@link #MAX_QUEUED_BYTES} ({@link MemoryBudget}) as well as by the queue's
     * length: while the database is away, refusals whose fields are as long as allowed (scopes of
     * 1,000 characters, in any script) would otherwise take ~460 MiB at 200,000 records, more than
     * the recommended heap.
     */
    private final MemoryBudget queuedBytes;
    private final Duration retention;
    private ScheduledExecutorService writer;
    private volatile boolean failing;

    /** 96 MiB, counted at two bytes a character: about 140,000 ordinary token records, and well within the recommended 256 MiB heap. */
    static final long MAX_QUEUED_BYTES = 96L << 20;

    public AuditLog(AgroalDataSource dataSource, MeterRegistry meters, io.portcullis.config.PortcullisConfig config) {
        this.queuedBytes = new MemoryBudget(MAX_QUEUED_BYTES);
        this.dataSource = dataSource;
        this.queue = new LinkedBlockingQueue<>(config.audit().queueCapacity());
        this.retention = config.audit().retention();
        meters.gauge("portcullis.audit.queued", queue, LinkedBlockingQueue::size);
        meters.more().counter("portcullis.audit.dropped", List.of(), dropped);
    }

    void onStart(@Observes StartupEvent event) {
        // a thread of its own: Quarkus's scheduler checks its triggers once a second, and a record
        // should reach the table within a fraction of one
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "audit-writer");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(this::flushQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** Drains the queue before the datasource goes away. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (writer != null) {
            writer.shutdown();
            try {
                writer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3 && !queue.isEmpty(); attempt++) {
            try {
                flush();
            } catch (SQLException | RuntimeException e) {
                last = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }
        if (!queue.isEmpty()) {
            LOG.errorf("%d audit records could not be written before shutdown (%s: %s)", queue.size(),
                    last == null ? "-" : last.getClass().getName(), last == null ? "-" : last.getMessage());
        }
    }

    /** Never blocks the caller; a full queue (the database away for long) drops and counts. */
    public void record(AuditEvent event) {
        long bytes = event.retainedBytes();
        boolean fits = queuedBytes.tryTake(bytes);
        if (!fits || !queue.offer(event)) {
            if (fits) {
                queuedBytes.give(bytes);
            }
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("The audit queue is full: records are being dropped");
            }
        }
    }

    /** Writes everything queued now; for tests and shutdown. */
    public synchronized void flush() throws SQLException {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (true) {
            batch.clear();
            // peek-then-remove: a batch that fails to insert stays queued
            for (AuditEvent e : queue) {
                batch.add(e);
                if (batch.size() == BATCH) {
                    break;
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            insert(batch);
            for (int i = 0; i < batch.size(); i++) {
                AuditEvent written = queue.poll();
                if (written != null) {
                    queuedBytes.give(written.retainedBytes());
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
            if (failing) {
                LOG.info("Audit records are being written again");
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warnf("Cannot write audit records (%s); %d wait in the queue", e.getClass().getSimpleName(), queue.size());
                failing = true;
            }
        }
    }

    private void insert(List<AuditEvent> batch) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into audit_event (occurred_at, kind, actor, action, target, outcome, error, api_id, auth_method_id, "
                        + "scopes_requested, scopes_granted, remote_address, request_id, before_doc, after_doc, credential, "
                        + "credential_subject, quota_exceeded) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (AuditEvent e : batch) {
                s.setTimestamp(1, Timestamp.from(e.occurredAt()));
                s.setString(2, e.kind());
                s.setString(3, cut(e.actor(), 64));
                s.setString(4, cut(e.action(), 100));
                s.setString(5, cut(e.target(), 300));
                s.setString(6, e.outcome());
                s.setString(7, cut(e.error(), 64));
                s.setString(8, cut(e.apiId(), 64));
                s.setString(9, cut(e.authMethodId(), 64));
                s.setString(10, cut(e.scopesRequested(), 1000));
                s.setString(11, cut(e.scopesGranted(), 1000));
                s.setString(12, cut(e.remoteAddress(), 64));
                s.setString(13, cut(e.requestId(), 100));
                s.setString(14, cut(e.before(), 1_000_000));
                s.setString(15, cut(e.after(), 1_000_000));
                s.setString(16, cut(e.credential(), 40));
                s.setString(17, cut(e.credentialSubject(), 1100));
                s.setObject(18, e.quotaExceeded(), java.sql.Types.BOOLEAN);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Records older than {@code portcullis.audit.retention} go. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("delete from audit_event where occurred_at < ?")) {
            s.setTimestamp(1, Timestamp.from(java.time.Instant.now().minus(retention)));
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Audit retention purge skipped: %s", e.getClass().getSimpleName());
        }
    }

    /** What {@link #search} filters by; null matches anything. */
    public record Filter(String kind, String actor, String apiId, String outcome, Instant from, Instant to) {
    }

    /** The trail, newest first, one page of it. */
    public io.portcullis.registry.Page<AuditRecord> search(Filter filter, int page, int size) {
        io.portcullis.registry.Page.check(page, size);
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        condition(where, params, "kind = ?", filter.kind());
        condition(where, params, "actor = ?", filter.actor());
        condition(where, params, "api_id = ?", filter.apiId());
        condition(where, params, "outcome = ?", filter.outcome());
        condition(where, params, "occurred_at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(where, params, "occurred_at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select " + AuditRecord.COLUMNS + " from audit_event" + where
                     + " order by occurred_at desc, id desc limit ? offset ?");
             PreparedStatement count = c.prepareStatement("select count(*) from audit_event" + where)) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
                count.setObject(i + 1, params.get(i));
            }
            select.setInt(params.size() + 1, size);
            select.setLong(params.size() + 2, (long) page * size);
            List<AuditRecord> records = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    records.add(new AuditRecord(rows));
                }
            }
            try (ResultSet total = count.executeQuery()) {
                total.next();
                return new io.portcullis.registry.Page<>(records, page, size, total.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the audit trail", e);
        }
    }

    private static void condition(StringBuilder where, List<Object> params, String sql, Object value) {
        if (value != null) {
            where.append(" and ").append(sql);
            params.add(value);
        }
    }

    /** Bounded, and printable: PostgreSQL refuses NUL in text, and a record it refuses would stall the queue. */
    static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        // a scan, not String.replaceAll: that compiled its pattern for every field of every record (a
        // JFR profile had it at ~7% of a token request's CPU); control characters but newline and tab
        String clean = value;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                char[] chars = value.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (Character.isISOControl(chars[j]) && chars[j] != '\n' && chars[j] != '\t') {
                        chars[j] = '?';
                    }
                }
                clean = new String(chars);
                break;
            }
        }
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}

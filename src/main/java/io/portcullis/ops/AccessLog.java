package io.portcullis.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log, off the request path: a request that ends leaves a small record in a lock-free
 * queue, and one writer thread turns the queued records into log lines in batches.
 *
 * <p>Why not log from the request: a log call there builds a log record, copies the MDC and takes
 * the async handler's queue lock on the event loop, and printf formatting was a seventh of a warm
 * gateway request's CPU in a JFR profile. Here the line is built with a StringBuilder, on the
 * writer's thread. Each line is still one record of the category {@code io.portcullis.access}, so
 * levels, JSON format and handlers are configured as for any other log.
 *
 * <p>A defence must not become an attack: when the writer cannot keep up, a burst beyond
 * {@link #MAX_PENDING} queued lines is dropped and counted ({@code portcullis_access_log_dropped_total})
 * rather than held in memory or made to wait, and a line keeps at most {@link #MAX_PATH} characters of
 * the path, so the queue holds at most about 10 MiB.
 */
@ApplicationScoped
public class AccessLog {
    static final String CATEGORY = "io.portcullis.access";
    static final int MAX_PENDING = 16_384;
    /** A caller chooses the path: what a line keeps of it is bounded, so that the queue's memory is too (~10 MiB). */
    static final int MAX_PATH = 512;
    /** How long the writer lets lines gather after a batch, so that a busy server wakes it ~100 times a second. */
    private static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    /** What a line says; the query string is never in it (it may carry a token). */
    public record Line(String method, String path, int status, long nanos, String id, String from) {
        public Line {
            if (path != null && path.length() > MAX_PATH) {
                path = path.substring(0, MAX_PATH) + "…";
            }
        }

        String format() {
            StringBuilder b = new StringBuilder(96 + path.length()).append(method).append(' ').append(path).append(' ')
                    .append(status).append(' ');
            // one decimal of milliseconds, as "%.1fms" printed it, without a Formatter
            long tenths = (nanos + 50_000) / 100_000;
            b.append(tenths / 10).append('.').append(tenths % 10).append("ms id=").append(id).append(" from=").append(from);
            return b.toString();
        }
    }

    private final ConcurrentLinkedQueue<Line> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean writerIdle = new AtomicBoolean();
    /** Every line dropped, for the meter. */
    private final AtomicLong dropped = new AtomicLong();
    /** Lines dropped since the writer last said so in the log. */
    private final AtomicLong unreported = new AtomicLong();
    private volatile Thread writer;
    private volatile boolean stopping;

    private final int maxPending;

    @jakarta.inject.Inject
    public AccessLog(io.micrometer.core.instrument.MeterRegistry meters) {
        this(meters, MAX_PENDING);
    }

    AccessLog(io.micrometer.core.instrument.MeterRegistry meters, int maxPending) {
        this.maxPending = maxPending;
        io.micrometer.core.instrument.FunctionCounter.builder("portcullis.access.log.dropped", dropped, AtomicLong::get)
                .description("Access log lines dropped because the writer was behind").register(meters);
    }

    void start(@Observes StartupEvent event) {
        Thread thread = new Thread(this::write, "portcullis-access-log");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread thread = writer;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drain();
    }

    /** From any thread, on the request path: no lock, no formatting, no I/O. */
    public void add(Line line) {
        if (size.incrementAndGet() > maxPending) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            unreported.incrementAndGet();
            return;
        }
        pending.offer(line);
        if (writerIdle.get() && writerIdle.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    /** Writes what is queued now, on the caller's thread (tests, and shutdown). */
    public void flush() {
        drain();
    }

    private void write() {
        while (!stopping) {
            int written;
            try {
                written = drain();
            } catch (RuntimeException e) {
                // a log handler that failed must not end the writer: every later line would be lost
                LOG.debugf("Access log write failed: %s", e.getClass().getName());
                written = 1;
            }
            if (written > 0) {
                LockSupport.parkNanos(this, BATCH_WINDOW_NANOS);
                continue;
            }
            writerIdle.set(true);
            // a line offered before the flag was set found it false and did not wake us: look again
            if (pending.isEmpty() && !stopping) {
                LockSupport.park(this);
            }
            writerIdle.set(false);
        }
    }

    private synchronized int drain() {
        int written = 0;
        long lost = unreported.getAndSet(0);
        if (lost > 0) {
            LOG.warnf("%d access log lines were dropped: the log writer was behind", lost);
        }
        boolean enabled = LOG.isInfoEnabled();
        for (Line line; (line = pending.poll()) != null; written++) {
            size.decrementAndGet();
            if (enabled) {
                LOG.info(line.format());
            }
        }
        return written;
    }
}

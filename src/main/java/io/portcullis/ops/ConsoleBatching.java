package io.portcullis.ops;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.logging.Handler;

/**
 * Console lines written in batches: a console handler behind the asynchronous handler
 * ({@code quarkus.log.console.async.enabled}, which application.properties turns on) stops flushing
 * after every record, and the asynchronous handler flushes it whenever its queue runs empty. Under
 * load the access log's lines then leave in one {@code write} of up to 8 KiB instead of one system
 * call each (a line per request was ~12% of a warm gateway request's CPU, side by side with the log
 * off); when the server is quiet, every line is still written at once, because the queue is empty
 * after each.
 *
 * <p>Only in the packaged application (dev mode's and the tests' consoles are shared with lines printed
 * directly). At shutdown the handlers flush every record again, so the last lines are written; if the
 * process is killed, what is lost is what an asynchronous log loses anyway: the lines not yet written
 * (here up to 8 KiB more). A console handler that is not behind an asynchronous one is left as it is.
 */
@ApplicationScoped
public class ConsoleBatching {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ConsoleBatching.class);

    private final java.util.List<ConsoleHandler> batched = new java.util.concurrent.CopyOnWriteArrayList<>();

    void start(@Observes @Priority(1) StartupEvent event) {
        if (io.quarkus.runtime.LaunchMode.current() != io.quarkus.runtime.LaunchMode.NORMAL) {
            return;
        }
        int changed = apply(LogContext.getLogContext().getLogger("").getHandlers(), batched);
        LOG.debugf("Console handlers writing in batches: %d", changed);
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE) io.quarkus.runtime.ShutdownEvent event) {
        restore(batched);
    }

    /** Every record flushed at once again; what is buffered is written now. */
    static void restore(java.util.List<ConsoleHandler> batched) {
        for (ConsoleHandler console : batched) {
            // OutputStreamHandler flushes when autoflush is turned back on
            console.setAutoFlush(true);
        }
        batched.clear();
    }

    /** How many console handlers now write in batches; each is added to {@code changed}. */
    static int apply(Handler[] handlers, java.util.List<ConsoleHandler> changed) {
        int count = 0;
        for (Handler handler : handlers) {
            count += visit(handler, false, changed);
        }
        return count;
    }

    private static int visit(Handler handler, boolean flushedWhenIdle, java.util.List<ConsoleHandler> changed) {
        if (handler instanceof ConsoleHandler console) {
            if (flushedWhenIdle && console.isAutoFlush()) {
                console.setAutoFlush(false);
                changed.add(console);
                return 1;
            }
            return 0;
        }
        if (!(handler instanceof ExtHandler ext)) {
            return 0;
        }
        // an asynchronous handler flushes what it holds when its queue runs empty, if it is set to flush
        boolean nestedFlushed = handler instanceof AsyncHandler async ? async.isAutoFlush() : flushedWhenIdle;
        int count = 0;
        for (Handler nested : ext.getHandlers()) {
            count += visit(nested, nestedFlushed, changed);
        }
        return count;
    }
}

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
 * ({@code quarkus.log.console.async.enabled}, on by default) stops flushing after every record, and
 * the asynchronous handler flushes it whenever its queue runs empty. Under load the access log's lines
 * then leave in one {@code write} of up to 8 KiB instead of one system call each (a line per request
 * was ~12% of a warm gateway request's CPU, side by side with the log off); when the server is quiet,
 * every line is still written at once, because the queue is empty after each.
 *
 * <p>What is lost if the process is killed is what the asynchronous queue already loses: the lines not
 * yet written. A console handler that is not behind an asynchronous one is left as it is.
 */
@ApplicationScoped
public class ConsoleBatching {

    void start(@Observes @Priority(1) StartupEvent event) {
        apply(LogContext.getLogContext().getLogger("").getHandlers());
    }

    /** How many console handlers now write in batches. */
    static int apply(Handler[] handlers) {
        int changed = 0;
        for (Handler handler : handlers) {
            changed += visit(handler, false);
        }
        return changed;
    }

    private static int visit(Handler handler, boolean flushedWhenIdle) {
        if (handler instanceof ConsoleHandler console) {
            if (flushedWhenIdle && console.isAutoFlush()) {
                console.setAutoFlush(false);
                return 1;
            }
            return 0;
        }
        if (!(handler instanceof ExtHandler ext)) {
            return 0;
        }
        // an asynchronous handler flushes what it holds when its queue runs empty, if it is set to flush
        boolean nestedFlushed = handler instanceof AsyncHandler async ? async.isAutoFlush() : flushedWhenIdle;
        int changed = 0;
        for (Handler nested : ext.getHandlers()) {
            changed += visit(nested, nestedFlushed);
        }
        return changed;
    }
}

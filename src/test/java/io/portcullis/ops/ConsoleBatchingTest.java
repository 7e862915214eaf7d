package io.portcullis.ops;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleBatchingTest {

    /** Hands over what each flush wrote, so that a test waits for the write instead of for the clock. */
    static final class Flushes extends OutputStream {
        final LinkedBlockingQueue<String> flushed = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            pending.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            if (pending.size() > 0) {
                flushed.add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
        }

        String next() throws InterruptedException {
            String text = flushed.poll(30, TimeUnit.SECONDS);
            assertNotNull(text, "nothing was flushed");
            return text;
        }
    }

    /** While its gate is closed, the handler's thread waits in the formatter: the records behind it queue up. */
    static final class Gated extends PatternFormatter {
        volatile CountDownLatch gate;

        Gated() {
            super("%m%n");
        }

        @Override
        public String format(ExtLogRecord record) {
            CountDownLatch closed = gate;
            if (closed != null) {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.format(record);
        }
    }

    private static ConsoleHandler console(OutputStream out) {
        return console(out, new PatternFormatter("%m%n"));
    }

    private static ConsoleHandler console(OutputStream out, PatternFormatter formatter) {
        ConsoleHandler console = new ConsoleHandler(formatter);
        console.setOutputStream(out);
        return console;
    }

    @Test
    void aConsoleBehindAnAsyncHandlerStopsFlushingEveryRecord() {
        ConsoleHandler console = console(new ByteArrayOutputStream());
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        assertEquals(1, ConsoleBatching.apply(new Handler[]{async}, new java.util.ArrayList<>()));
        assertFalse(console.isAutoFlush());
        async.close();
    }

    @Test
    void aConsoleWithNoAsyncHandlerToFlushItIsLeftAlone() {
        ConsoleHandler direct = console(new ByteArrayOutputStream());
        assertEquals(0, ConsoleBatching.apply(new Handler[]{direct}, new java.util.ArrayList<>()));
        assertTrue(direct.isAutoFlush());

        ConsoleHandler nested = console(new ByteArrayOutputStream());
        AsyncHandler neverFlushes = new AsyncHandler();
        neverFlushes.setAutoFlush(false);
        neverFlushes.addHandler(nested);
        assertEquals(0, ConsoleBatching.apply(new Handler[]{neverFlushes}, new java.util.ArrayList<>()));
        assertTrue(nested.isAutoFlush());
        neverFlushes.close();
    }

    @Test
    void everyLineIsWrittenAndALoneLineIsNotHeldBack() throws Exception {
        Flushes out = new Flushes();
        Gated formatter = new Gated();
        ConsoleHandler console = console(out, formatter);
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        ConsoleBatching.apply(new Handler[]{async}, new java.util.ArrayList<>());
        try {
            // a quiet server: the one line is written as soon as the queue is empty again
            async.publish(new ExtLogRecord(Level.INFO, "alone", ConsoleBatchingTest.class.getName()));
            assertEquals("alone\n", out.next());

            // a burst (held up behind its first line, so that it is queued whole): all of it arrives, in
            // order, in one flush, when the queue has run empty
            CountDownLatch gate = new CountDownLatch(1);
            formatter.gate = gate;
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                async.publish(new ExtLogRecord(Level.INFO, "line " + i, ConsoleBatchingTest.class.getName()));
                expected.append("line ").append(i).append('\n');
            }
            formatter.gate = null;
            gate.countDown();
            assertEquals(expected.toString(), out.next());
        } finally {
            async.close();
        }
    }

    @Test
    void atShutdownWhatWasHeldIsWritten() throws Exception {
        Flushes out = new Flushes();
        ConsoleHandler console = console(out);
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        java.util.List<ConsoleHandler> batched = new java.util.ArrayList<>();
        ConsoleBatching.apply(new Handler[]{async}, batched);
        try {
            // straight to the console, as the asynchronous handler's thread does: held in the buffer
            console.publish(new ExtLogRecord(Level.INFO, "last words", ConsoleBatchingTest.class.getName()));
            assertTrue(out.flushed.isEmpty(), "written before any flush");
            ConsoleBatching.restore(batched);
            assertEquals("last words\n", out.next());
            assertTrue(console.isAutoFlush());
        } finally {
            async.close();
        }
    }
}

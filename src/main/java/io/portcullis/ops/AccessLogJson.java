package io.portcullis.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * The access log's JSON lines, written without the JSON formatter's machinery: a line per request is
 * most of what a busy gateway logs, and Quarkus's formatter (a JSON generator per record, the
 * timestamp through a DateTimeFormatter) was 7% of a warm gateway request's CPU samples in a JFR profile,
 * on the log's thread, of the 12% the access log took in all.
 *
 * <p>The line must be the one the configured formatter would have written, byte for byte, so nothing
 * about the log changes for whoever reads it. That is not assumed from the configuration: at startup each
 * handler's formatter is asked to format a set of sample access-log records (every escape JSON has, a
 * fraction of a second with and without trailing zeros, none at all), and only a formatter whose every
 * sample equals {@link #line}'s is wrapped. Any other setting (text format, additional fields, excluded
 * or renamed keys, another date format, the ECS layout, caller details) leaves the handler as
 * it is, and so does a time zone other than UTC (Quarkus's default is the system's: a container's is
 * usually UTC). A record of another category, with an exception, an MDC, an NDC or parameters always goes to the
 * configured formatter.
 */
@ApplicationScoped
public class AccessLogJson {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AccessLogJson.class);

    private final java.util.List<Handler> wrapped = new java.util.concurrent.CopyOnWriteArrayList<>();

    void start(@Observes @Priority(2) StartupEvent event) {
        LogContext context = LogContext.getLogContext();
        int count = wrap(context.getLogger("").getHandlers(), wrapped) + wrap(context.getLogger(AccessLog.CATEGORY).getHandlers(), wrapped);
        LOG.debugf("Handlers writing access-log lines directly: %d", count);
    }

    void stop(@Observes @Priority(Integer.MAX_VALUE - 1) ShutdownEvent event) {
        unwrap(wrapped);
    }

    /** Each handler's own formatter again (a restart in the same JVM, as dev mode's, wraps anew). */
    static void unwrap(java.util.List<Handler> wrapped) {
        for (Handler handler : wrapped) {
            if (handler.getFormatter() instanceof Lines lines) {
                handler.setFormatter(lines.configured);
            }
        }
        wrapped.clear();
    }

    /** How many handlers (nested ones too) now write access-log lines directly; each is added to {@code changed}. */
    static int wrap(Handler[] handlers, java.util.List<Handler> changed) {
        int count = 0;
        for (Handler handler : handlers) {
            Formatter formatter = handler.getFormatter();
            if (formatter instanceof ExtFormatter configured && !(formatter instanceof Lines) && writesAsLine(configured)) {
                handler.setFormatter(new Lines(configured));
                changed.add(handler);
                count++;
            }
            if (handler instanceof ExtHandler ext) {
                count += wrap(ext.getHandlers(), changed);
            }
        }
        return count;
    }

    /** Whether the formatter writes every sample access-log record exactly as {@link #line} does. */
    static boolean writesAsLine(ExtFormatter formatter) {
        String delimiter = delimiter(formatter);
        // in UTC only, not in a zone that is at +00:00 only part of the year (Europe/London): the samples
        // cannot see the summer
        if (delimiter == null || formatter.isCallerCalculationRequired()
                || !ZoneOffset.UTC.equals(((org.jboss.logmanager.formatters.StructuredFormatter) formatter).getZoneId().normalized())) {
            return false;
        }
        try {
            for (ExtLogRecord sample : samples()) {
                if (!line(sample, delimiter).equals(formatter.format(sample))) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String delimiter(ExtFormatter formatter) {
        return formatter instanceof org.jboss.logmanager.formatters.JsonFormatter json ? json.getRecordDelimiter() : null;
    }

    /** Records as the access log makes them, with what JSON must escape in the message and the timestamps' edge cases. */
    static java.util.List<ExtLogRecord> samples() {
        String[] messages = {
                "GET /api-0001/items/1 200 0.4ms id=4f1c2a9e-0b7d-4c1e-9a57-0e2f3d4c5b6a from=127.0.0.1",
                "POST /a\"b\\c/d 404 12.0ms id=x from=::1",
                "GET /\0\1\b\t\n\f\r\033\037\177 400 0.0ms id=- from=-",
                "GET /caf\u00e9/\u2028\u2029/\ud83d\ude00/</script> 200 1.0ms id=a from=10.0.0.1",
                "3 access log lines were dropped: the log writer was behind"};
        long[] nanos = {0, 100_000_000, 123_456_789, 880_000_000, 1, 999_999_999, 10_000};
        java.util.List<ExtLogRecord> samples = new java.util.ArrayList<>();
        for (int i = 0; i < nanos.length; i++) {
            ExtLogRecord record = new ExtLogRecord(i == 3 ? Level.WARNING : Level.INFO, messages[i % messages.length],
                    ExtLogRecord.FormatStyle.NO_FORMAT, org.jboss.logging.Logger.class.getName());
            record.setLoggerName(AccessLog.CATEGORY);
            record.setInstant(Instant.ofEpochSecond(1_796_000_000L + i * 86_399L, nanos[i]));
            record.setSequenceNumber(i);
            record.setThreadName(i == 2 ? "a \"thread\"" : "portcullis-access-log");
            record.setLongThreadID(30 + i);
            samples.add(record);
        }
        return samples;
    }

    /**
     * The line Quarkus's JSON formatter writes with its default settings, or null when the record is
     * not one this writes (see the class comment).
     */
    static String line(ExtLogRecord record, String delimiter) {
        if (!AccessLog.CATEGORY.equals(record.getLoggerName()) || record.getThrown() != null || record.getMessage() == null
                || (record.getParameters() != null && record.getParameters().length > 0) || record.getResourceBundle() != null
                || record.getFormatStyle() == ExtLogRecord.FormatStyle.PRINTF) {
            return null;
        }
        String ndc = record.getNdc();
        if ((ndc != null && !ndc.isEmpty()) || !record.getMdcCopy().isEmpty()) {
            return null;
        }
        String message = record.getMessage();
        StringBuilder b = new StringBuilder(320 + message.length());
        b.append("{\"timestamp\":\"");
        timestamp(b, record.getInstant());
        b.append("\",\"sequence\":").append(record.getSequenceNumber());
        b.append(",\"loggerClassName\":");
        string(b, record.getLoggerClassName());
        b.append(",\"loggerName\":");
        string(b, record.getLoggerName());
        b.append(",\"level\":");
        string(b, record.getLevel().getName());
        b.append(",\"message\":");
        string(b, message);
        b.append(",\"threadName\":");
        string(b, record.getThreadName());
        b.append(",\"threadId\":").append(record.getLongThreadID());
        b.append(",\"mdc\":{},\"ndc\":\"\",\"hostName\":");
        string(b, record.getHostName());
        b.append(",\"processName\":");
        string(b, record.getProcessName());
        b.append(",\"processId\":").append(record.getProcessId()).append('}').append(delimiter);
        return b.toString();
    }

    /** The date and time to the second changes once a second: formatted then, and reused. */
    private static final class Second {
        final long epochSecond;
        final String text;

        Second(long epochSecond) {
            this.epochSecond = epochSecond;
            this.text = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
        }
    }

    private static volatile Second second = new Second(0);

    /** ISO_OFFSET_DATE_TIME in UTC: the fraction with as many digits as it needs, none when it is zero. */
    private static void timestamp(StringBuilder b, Instant instant) {
        Second cached = second;
        if (cached.epochSecond != instant.getEpochSecond()) {
            cached = new Second(instant.getEpochSecond());
            second = cached;
        }
        b.append(cached.text);
        int nanos = instant.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            b.append('.');
            String fraction = Integer.toString(nanos);
            for (int i = fraction.length(); i < digits; i++) {
                b.append('0');
            }
            b.append(fraction);
        }
        b.append('Z');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string as Parsson writes it: quote, backslash and the control characters escaped, the rest as it is. */
    private static void string(StringBuilder b, String value) {
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int plain = 0;
        while (plain < value.length() && value.charAt(plain) >= 0x20 && value.charAt(plain) != '"' && value.charAt(plain) != '\\') {
            plain++;
        }
        // most values have nothing to escape: copied in one piece, not a character at a time
        if (plain == value.length()) {
            b.append(value);
            b.append('"');
            return;
        }
        b.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** The configured formatter, with access-log records written by {@link #line}. */
    static final class Lines extends ExtFormatter {
        final ExtFormatter configured;
        private final String delimiter;

        Lines(ExtFormatter configured) {
            this.configured = configured;
            this.delimiter = delimiter(configured);
        }

        @Override
        public String format(ExtLogRecord record) {
            String line = line(record, delimiter);
            return line != null ? line : configured.format(record);
        }

        @Override
        public boolean isCallerCalculationRequired() {
            return configured.isCallerCalculationRequired();
        }

        @Override
        public String getHead(Handler handler) {
            return configured.getHead(handler);
        }

        @Override
        public String getTail(Handler handler) {
            return configured.getTail(handler);
        }
    }
}

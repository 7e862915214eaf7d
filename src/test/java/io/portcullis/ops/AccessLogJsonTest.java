package io.portcullis.ops;

import io.quarkus.logging.json.runtime.AdditionalField;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.logging.json.runtime.JsonLogConfig;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Handler;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's own JSON lines against Quarkus's JSON formatter: the same bytes, or not used at all. */
class AccessLogJsonTest {
    /** As LoggingJsonRecorder builds it with quarkus.log.console.json's defaults, on a system whose zone is UTC. */
    private static JsonFormatter quarkusDefault() {
        return configure(new JsonFormatter());
    }

    private static JsonFormatter configure(JsonFormatter formatter) {
        formatter.setLogFormat(JsonLogConfig.JsonConfig.LogFormat.DEFAULT);
        formatter.setExcludedKeys(Set.of());
        formatter.setAdditionalFields(Map.of());
        formatter.setPrettyPrint(false);
        formatter.setExceptionOutputType(StructuredFormatter.ExceptionOutputType.DETAILED);
        formatter.setPrintDetails(false);
        formatter.setZoneId("UTC");
        return formatter;
    }

    @Test
    void quarkusDefaultJsonIsWrittenDirectly() {
        assertTrue(AccessLogJson.writesAsLine(quarkusDefault()));
    }

    @Test
    void everyAccessLineIsTheFormattersByteForByte() {
        JsonFormatter configured = quarkusDefault();
        AccessLogJson.Lines lines = new AccessLogJson.Lines(configured);
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder message = new StringBuilder("GET /");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                // mostly ASCII, with every control character, quote and backslash, Latin-1, and surrogates
                int kind = random.nextInt(10);
                message.append((char) (kind < 6 ? 0x20 + random.nextInt(0x5f) : kind < 8 ? random.nextInt(0x20)
                        : kind < 9 ? 0x80 + random.nextInt(0x80) : 0xd800 + random.nextInt(0x800)));
            }
            message.append(" 200 1.5ms id=").append(i).append(" from=127.0.0.1");
            ExtLogRecord record = new ExtLogRecord(i % 7 == 0 ? Level.WARNING : Level.INFO, message.toString(),
                    i % 2 == 0 ? ExtLogRecord.FormatStyle.MESSAGE_FORMAT : ExtLogRecord.FormatStyle.NO_FORMAT, org.jboss.logging.Logger.class.getName());
            record.setLoggerName(AccessLog.CATEGORY);
            record.setInstant(Instant.ofEpochSecond(random.nextLong(4_000_000_000L), random.nextInt(4) == 0 ? random.nextInt(10) * 100_000_000
                    : random.nextInt(1_000_000_000)));
            String line = AccessLogJson.line(record, "\n");
            assertEquals(configured.format(record), line, message.toString());
            assertEquals(line, lines.format(record));
        }
    }

    @Test
    void otherRecordsGoToTheConfiguredFormatter() {
        JsonFormatter configured = quarkusDefault();
        AccessLogJson.Lines lines = new AccessLogJson.Lines(configured);
        ExtLogRecord other = new ExtLogRecord(Level.INFO, "Started", ExtLogRecord.FormatStyle.NO_FORMAT, "x");
        other.setLoggerName("io.portcullis.registry");
        assertNull(AccessLogJson.line(other, "\n"));
        assertEquals(configured.format(other), lines.format(other));

        ExtLogRecord failed = new ExtLogRecord(Level.WARNING, "failed", ExtLogRecord.FormatStyle.NO_FORMAT, "x");
        failed.setLoggerName(AccessLog.CATEGORY);
        failed.setThrown(new IllegalStateException("boom"));
        assertNull(AccessLogJson.line(failed, "\n"));
        assertTrue(lines.format(failed).contains("boom"));

        ExtLogRecord printf = new ExtLogRecord(Level.WARNING, "%d access log lines were dropped", ExtLogRecord.FormatStyle.PRINTF, "x");
        printf.setLoggerName(AccessLog.CATEGORY);
        printf.setParameters(new Object[]{3});
        assertNull(AccessLogJson.line(printf, "\n"));
        assertTrue(lines.format(printf).contains("\"3 access log lines were dropped\""));
    }

    @Test
    void anyOtherSettingKeepsTheConfiguredFormatter() {
        JsonFormatter zone = quarkusDefault();
        zone.setZoneId("Europe/Paris");
        // at +00:00 in winter, as every sample is: the summer's +01:00 would differ
        JsonFormatter london = quarkusDefault();
        london.setZoneId("Europe/London");
        JsonFormatter excluded = quarkusDefault();
        excluded.setExcludedKeys(Set.of("hostName"));
        JsonFormatter additional = quarkusDefault();
        additional.setAdditionalFields(Map.of("service", new AdditionalField("portcullis", JsonLogConfig.AdditionalFieldConfig.Type.STRING)));
        // the ECS layout is the default one with these keys renamed, and fields added (as above)
        JsonFormatter ecs = configure(new JsonFormatter("timestamp=@timestamp,logger_name=log.logger,level=log.level"));
        ecs.setLogFormat(JsonLogConfig.JsonConfig.LogFormat.ECS);
        JsonFormatter pretty = quarkusDefault();
        pretty.setPrettyPrint(true);
        JsonFormatter dates = quarkusDefault();
        dates.setDateFormat("yyyy-MM-dd HH:mm:ss");
        JsonFormatter details = quarkusDefault();
        details.setPrintDetails(true);
        JsonFormatter delimiter = quarkusDefault();
        delimiter.setRecordDelimiter("\r\n");
        for (ExtFormatter formatter : List.of(zone, london, excluded, additional, ecs, pretty, dates, details, new PatternFormatter("%m%n"))) {
            assertFalse(AccessLogJson.writesAsLine(formatter), String.valueOf(List.of(zone, london, excluded, additional, ecs, pretty, dates, details).indexOf(formatter)));
        }
        // another delimiter is still the same line, ended as configured; UTC by another name is UTC
        assertTrue(AccessLogJson.writesAsLine(delimiter));
        JsonFormatter etc = quarkusDefault();
        etc.setZoneId("Etc/UTC");
        assertTrue(AccessLogJson.writesAsLine(etc));
    }

    @Test
    void wrapsNestedHandlersOnceAndUnwraps() {
        ConsoleHandler console = new ConsoleHandler(quarkusDefault());
        ConsoleHandler text = new ConsoleHandler(new PatternFormatter("%m%n"));
        AsyncHandler async = new AsyncHandler();
        async.addHandler(console);
        async.addHandler(text);
        java.util.logging.Formatter before = console.getFormatter();
        List<Handler> wrapped = new ArrayList<>();
        assertEquals(1, AccessLogJson.wrap(new Handler[]{async}, wrapped));
        assertTrue(console.getFormatter() instanceof AccessLogJson.Lines);
        assertFalse(text.getFormatter() instanceof AccessLogJson.Lines);
        // a second start in the same JVM (dev mode) does not wrap the wrapper
        assertEquals(0, AccessLogJson.wrap(new Handler[]{async}, new ArrayList<>()));
        AccessLogJson.unwrap(wrapped);
        assertSame(before, console.getFormatter());
        assertTrue(wrapped.isEmpty());
        async.close();
    }
}

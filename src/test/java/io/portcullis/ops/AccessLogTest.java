package io.portcullis.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The access log's line format and its bound, without a server. */
class AccessLogTest {
    @Test
    void aLineIsTheRequestInOneDecimalOfMilliseconds() {
        assertEquals("GET /x 200 1.3ms id=abc from=10.0.0.1",
                new AccessLog.Line("GET", "/x", 200, 1_250_000, "abc", "10.0.0.1").format());
        assertEquals("POST /auth/default/api/a/token 401 0.0ms id=i from=-",
                new AccessLog.Line("POST", "/auth/default/api/a/token", 401, 49_999, "i", "-").format());
        assertEquals("GET / 504 2001.0ms id=i from=::1",
                new AccessLog.Line("GET", "/", 504, 2_000_960_000L, "i", "::1").format());
    }

    @Test
    void aBurstBeyondTheBoundIsDroppedAndCountedNotHeld() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AccessLog log = new AccessLog(meters, 3);
        for (int i = 0; i < 5; i++) {
            log.add(new AccessLog.Line("GET", "/x", 200, 1, "id-" + i, "-"));
        }
        assertEquals(2.0, meters.get("portcullis.access.log.dropped").functionCounter().count());
        log.flush();
        // room again once the writer has caught up
        log.add(new AccessLog.Line("GET", "/x", 200, 1, "id-5", "-"));
        assertEquals(2.0, meters.get("portcullis.access.log.dropped").functionCounter().count());
    }
}

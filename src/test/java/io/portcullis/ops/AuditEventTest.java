package io.portcullis.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An audit record keeps no more of a field than its column holds, and never half a character. */
class AuditEventTest {
    @Test
    void fieldsAreCappedAtCapture() {
        AuditEvent e = AuditEvent.token("b".repeat(500), "c".repeat(500), false).actor("a".repeat(500)).error("d".repeat(500))
                .scopesRequested("s".repeat(1_000_000)).scopesGranted("g".repeat(2000)).remoteAddress("1".repeat(300))
                .requestId("r".repeat(300)).build();
        assertEquals(64, e.actor().length());
        assertEquals(64, e.apiId().length());
        assertEquals(64, e.authMethodId().length());
        assertEquals(64, e.error().length());
        assertEquals(1000, e.scopesRequested().length());
        assertEquals(1000, e.scopesGranted().length());
        assertEquals(64, e.remoteAddress().length());
        assertEquals(100, e.requestId().length());
        assertNull(e.before());
    }

    @Test
    void aSurrogatePairIsNotSplit() {
        String text = "x".repeat(63) + "\uD83D\uDE00" + "y";
        assertEquals(63, AuditEvent.cap(text, 64).length());
        assertEquals("short", AuditEvent.cap("short", 64));
    }

    @Test
    void whatARecordHoldsIsCountedAsTheQueueBoundsIt() {
        AuditEvent small = AuditEvent.token("api", "default", true).build();
        AuditEvent largest = AuditEvent.token("b".repeat(500), "c".repeat(500), false).actor("a".repeat(500)).error("d".repeat(500))
                .scopesRequested("\u0416".repeat(5000)).scopesGranted("g".repeat(2000)).remoteAddress("1".repeat(300))
                .requestId("r".repeat(300)).build();
        assertTrue(small.retainedBytes() < 1024, "an ordinary record: " + small.retainedBytes());
        // every field at its cap, two bytes a character: counted, not its caller's length
        assertTrue(largest.retainedBytes() > 4_000 && largest.retainedBytes() < 7_000, "largest: " + largest.retainedBytes());
        // the queue's 96 MiB hold more than ten thousand of the largest token records
        assertTrue(AuditLog.MAX_QUEUED_BYTES / largest.retainedBytes() > 10_000);
    }
}

package io.portcullis.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the audit trail stores of a caller's text: bounded, with no control character PostgreSQL refuses. */
class AuditLogCutTest {
    @Test
    void controlCharactersButNewlineAndTabBecomeQuestionMarks() {
        assertEquals("a?b\nc\td?e?", AuditLog.cut("a\u0000b\nc\td\u001be\u007f", 100));
        assertEquals("x?y", AuditLog.cut("x\u0085y", 100));
    }

    @Test
    void cleanTextIsKeptAsItIsAndCutToItsBound() {
        String clean = "client-42 é ü";
        assertSame(clean, AuditLog.cut(clean, 100));
        assertEquals("clie", AuditLog.cut(clean, 4));
        assertEquals("?b", AuditLog.cut("\u0000bcd", 2));
        assertNull(AuditLog.cut(null, 4));
    }
}

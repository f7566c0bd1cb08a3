package dev.tasks.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which header a 412 names, and what the write's statement is handed, for each precondition. */
class TaskVersionsTest {

    private static final OffsetDateTime V1 = OffsetDateTime.parse("2026-12-03T07:00:00.000001Z");
    private static final OffsetDateTime V2 = OffsetDateTime.parse("2026-12-03T07:00:01.500000Z");

    @Test
    void theRefusingHeaderIsNamedInTheRfcOrder() {
        assertEquals("If-Match", TaskVersions.matching(List.of(V1)).refusedBy(V2));
        assertEquals("If-Unmodified-Since", TaskVersions.unmodifiedSince(V1).refusedBy(V2));
        assertEquals("If-None-Match", TaskVersions.matching(List.of(V2)).refusing(false, List.of(V2)).refusedBy(V2));
        assertEquals("If-None-Match", TaskVersions.UNCONDITIONAL.refusing(true, List.of()).refusedBy(V1));
        assertTrue(TaskVersions.matching(List.of(V1, V2)).accepts(V2));
        assertFalse(TaskVersions.matching(List.of(V1)).accepts(V2));
        assertTrue(TaskVersions.unmodifiedSince(V1).accepts(V1));
        assertFalse(TaskVersions.UNCONDITIONAL.refusing(true, List.of()).accepts(V1));
        // Both fail: If-Match is evaluated first.
        assertEquals("If-Match", TaskVersions.matching(List.of(V1)).refusing(false, List.of(V2)).refusedBy(V2));
    }

    /** The task changed again after the write missed, so nothing refuses it now: the first header sent is named. */
    @Test
    void aTaskThatMovedOnIsRefusedByTheFirstHeaderSent() {
        assertEquals("If-Match", TaskVersions.matching(List.of(V2)).refusing(false, List.of(V1)).refusedBy(V2));
        assertEquals("If-Unmodified-Since", TaskVersions.unmodifiedSince(V2).refusing(false, List.of(V1)).refusedBy(V2));
        assertEquals("If-None-Match", TaskVersions.UNCONDITIONAL.refusing(false, List.of(V1)).refusedBy(V2));
    }

    @Test
    void theStatementGetsOneArrayPerHeader() {
        assertNull(TaskVersions.UNCONDITIONAL.asSqlArray());
        assertNull(TaskVersions.UNCONDITIONAL.refusedAsSqlArray());
        assertFalse(TaskVersions.UNCONDITIONAL.conditional());
        TaskVersions none = TaskVersions.UNCONDITIONAL.refusing(false, List.of(V1, V2));
        assertTrue(none.conditional());
        assertNull(none.asSqlArray());
        assertEquals("{2026-12-03T07:00:00.000001Z,2026-12-03T07:00:01.500000Z}", none.refusedAsSqlArray());
        // If-None-Match: * accepts no version: an empty array for the If-Match condition.
        TaskVersions star = TaskVersions.matching(List.of(V1)).refusing(true, List.of());
        assertTrue(star.conditional());
        assertEquals("{}", star.asSqlArray());
        assertNull(star.refusedAsSqlArray());
    }
}

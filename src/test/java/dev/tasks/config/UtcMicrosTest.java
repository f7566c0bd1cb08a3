package dev.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The hand-written time format against {@link DateTimeFormatter}: the same text for any instant and offset,
 * and the same instant read back from every shape PostgreSQL writes into JSON.
 */
class UtcMicrosTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(20261201);

    private static OffsetDateTime anyTime() {
        long seconds = RANDOM.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(RANDOM.nextInt(-18 * 3600, 18 * 3600 + 1) / 60 * 60);
        return Instant.ofEpochSecond(seconds, RANDOM.nextInt(1_000_000_000)).atOffset(offset);
    }

    @Test
    void formatsAsTheFormatterDoesInUtcWithSixDigits() {
        for (int i = 0; i < 100_000; i++) {
            OffsetDateTime time = anyTime();
            assertEquals(UtcMicros.PATTERN.format(time.withOffsetSameInstant(ZoneOffset.UTC)), UtcMicros.format(time),
                    time::toString);
        }
        assertEquals("2026-12-01T00:00:00.000000Z", UtcMicros.format(OffsetDateTime.parse("2026-12-01T01:00:00+01:00")));
        assertEquals("2026-12-01T12:00:00.000001Z", UtcMicros.format(OffsetDateTime.parse("2026-12-01T12:00:00.000001999Z")));
    }

    @Test
    void readsEveryShapePostgresqlWritesAndAnyOtherOffsetAsTheParserDoes() {
        for (int i = 0; i < 100_000; i++) {
            OffsetDateTime micros = anyTime().truncatedTo(ChronoUnit.MICROS);
            OffsetDateTime utc = micros.withOffsetSameInstant(ZoneOffset.UTC);
            String fraction = String.format("%06d", utc.getNano() / 1000).replaceFirst("0+$", "");
            String base = utc.toLocalDateTime().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            // PostgreSQL: no fraction when it is zero, trailing zeros dropped, "+00:00" in a UTC session.
            String postgres = base + (fraction.isEmpty() ? "" : "." + fraction) + "+00:00";
            assertEquals(utc, UtcMicros.parse(postgres), postgres);
            assertEquals(utc, UtcMicros.parse(UtcMicros.format(micros)));
            String other = micros.toString();
            assertEquals(OffsetDateTime.parse(other), UtcMicros.parse(other), other);
        }
    }

    /**
     * PostgreSQL writes a time in the session's time zone, which may be up to 167 hours from UTC (a POSIX
     * zone such as {@code XXX+167}), or a few seconds off the hour (local mean times): read as the instant.
     */
    @Test
    void readsOffsetsJavaCannotHoldAsTheSameInstant() {
        String[][] cases = { { "2026-11-26T19:46:13.773531-167:00", "2026-12-03T18:46:13.773531Z" },
                { "2026-12-10T17:46:13+167:00", "2026-12-03T18:46:13Z" }, { "2026-12-04T14:46:13.5+20:00", "2026-12-03T18:46:13.5Z" },
                { "1900-01-01T05:53:28+05:53:28", "1900-01-01T00:00:00Z" }, { "2026-12-03T00:46:13-18:00", "2026-12-03T18:46:13Z" } };
        for (String[] c : cases) {
            assertEquals(OffsetDateTime.parse(c[1]).toInstant(), UtcMicros.parse(c[0]).toInstant(), c[0]);
        }
        for (String bad : new String[] { "2026-12-01T12:00:00+1670:00", "2026-12-01T12:00:00+19:60:00x", "2026-12-01X12:00:00+19:00" }) {
            assertThrows(DateTimeException.class, () -> UtcMicros.parse(bad), bad);
        }
    }

    @Test
    void malformedTextIsRejectedAsByTheParser() {
        for (String bad : new String[] { "2026-12-01 12:00:00+00:00", "2026-12-01T12:00:00,1+00:00",
                "2026-13-01T12:00:00Z", "2026-12-01T12:00:00.1234567890Z", "2026-12-01T12:00Z0000000", "" }) {
            assertThrows(DateTimeException.class, () -> UtcMicros.parse(bad), bad);
        }
    }
}

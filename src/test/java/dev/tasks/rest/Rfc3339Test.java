package dev.tasks.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tasks.config.UtcMicros;

/** {@code ?asOf}'s parser against RFC 3339's grammar, section 5.6. */
class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
            "2026-11-21T09:05:05.618349Z,      2026-11-21T09:05:05.618349Z",
            "2026-11-21t09:05:05z,             2026-11-21T09:05:05.000000Z",
            "2026-11-21T04:05:05.618349-05:00, 2026-11-21T09:05:05.618349Z",
            "2026-11-21T09:05:05.1234567891Z,  2026-11-21T09:05:05.123456Z",
            "2026-11-21T09:05:05.1234567890123456789012345678901234567890Z, 2026-11-21T09:05:05.123456Z",
            "2026-11-21T09:05:05.5+00:00,      2026-11-21T09:05:05.500000Z",
            "2026-11-22T09:04:05+23:59,        2026-11-21T09:05:05.000000Z",
            "2026-11-20T09:06:05-23:59,        2026-11-21T09:05:05.000000Z",
            "2016-12-31T23:59:60Z,             2016-12-31T23:59:59.999999Z",
            "2016-12-31T23:59:60.5Z,           2016-12-31T23:59:59.999999Z",
            "0000-01-01T00:00:00Z,             0000-01-01T00:00:00.000000Z" })
    void readsEveryFormOfTheGrammar(String text, String utc) {
        assertEquals(utc, UtcMicros.PATTERN.format(Rfc3339.parse(text).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "yesterday", "1700000000", "2026-11-21", "2026-11-21T09:05:05", "2026-11-21T09:05Z",
            "+10000-01-01T00:00:00Z", "2026-11-21T09:05:05+01:00:30", "2026-11-21T09:05:05+0100", "2026-11-21T09:05:05+01",
            "2026-11-21 09:05:05Z", "2026-11-21T09:05:05.Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-21T24:00:00Z", "2026-11-21T09:60:00Z", "2026-11-21T09:05:61Z", "2026-11-21T09:05:05+24:00",
            "2026-11-21T09:05:05-00:60", "26-11-21T09:05:05Z", "2026-11-21T09:05:05ZZ", "２０２６-11-21T09:05:05Z" })
    void refusesWhatTheGrammarDoesNotHave(String text) {
        assertTrue(Rfc3339.parse(text).isEmpty(), text);
    }

    /** Whatever OffsetDateTime writes with seconds and an offset within ±18:00 is read as the same instant. */
    @Test
    void agreesWithJavaOnTheFormsBothRead() {
        DateTimeFormatter rfc3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx");
        SplittableRandom random = new SplittableRandom(20261203);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            OffsetDateTime time = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000)).atOffset(offset);
            String text = rfc3339.format(time);
            assertEquals(time.toInstant().truncatedTo(ChronoUnit.MICROS), Rfc3339.parse(text).orElseThrow().toInstant(), text);
        }
    }
}

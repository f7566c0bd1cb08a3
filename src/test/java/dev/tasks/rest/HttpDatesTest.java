package dev.tasks.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP dates against RFC 9110's grammar, section 5.6.7. */
class HttpDatesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Sun, 06 Nov 1994 08:49:37 GMT    | 1994-11-06T08:49:37Z",
            "Sun, 6 Nov 1994 08:49:37 GMT     | 1994-11-06T08:49:37Z",
            "Sunday, 06-Nov-94 08:49:37 GMT   | 1994-11-06T08:49:37Z",
            "Sun Nov  6 08:49:37 1994         | 1994-11-06T08:49:37Z",
            "Thu Nov 26 08:49:37 2026         | 2026-11-26T08:49:37Z",
            "Fri, 31 Dec 9999 23:59:59 GMT    | 9999-12-31T23:59:59Z",
            "Sat, 01 Jan 0000 00:00:00 GMT    | 0000-01-01T00:00:00Z",
            "Sat, 31 Dec 2016 23:59:60 GMT    | 2016-12-31T23:59:59Z" })
    void readsTheThreeForms(String text, String utc) {
        assertEquals(OffsetDateTime.parse(utc), HttpDates.parse(text.strip()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "yesterday", "1700000000",
            "Sat, 21 Nov 2026 09:05:05 +0900",          // a numeric offset is no HTTP date
            "Sat, 21 Nov 2026 09:05:05 PST",
            "Sat, 21 Nov 2026 09:05:05 UTC",
            "Sat, 21 Nov 2026 09:05:05",
            "21 Nov 2026 09:05:05 GMT",                 // no day name
            "sat, 21 nov 2026 09:05:05 gmt",            // names are case-sensitive
            "Sat, 21 Nov 2026 09:05:05 GMT; length=12345678901234567890123456789012345",
            "Sat, 31 Feb 2026 09:05:05 GMT",
            "Sat, 21 Nov 2026 24:00:00 GMT",
            "Sat, 21 Nov 2026 09:61:05 GMT",
            "Sat, 21 Nov 26 09:05:05 GMT",
            "Saturday, 21-Nov-2026 09:05:05 GMT",
            "Sat Nov 21 09:05:05 2026 GMT",
            "Sat,  21 Nov 2026 09:05:05 GMT",
            "Sat, 021 Nov 2026 09:05:05 GMT" })
    void refusesWhatIsNotAnHttpDate(String text) {
        assertNull(HttpDates.parse(text), text);
    }

    /** A two-digit year more than 50 years ahead is the latest past year with those digits. */
    @Test
    void twoDigitYearsAreAtMostFiftyYearsAhead() {
        int now = Year.now(ZoneOffset.UTC).getValue();
        for (int ahead = -49; ahead <= 50; ahead++) {
            int year = now + ahead;
            String text = String.format(Locale.ROOT, "Monday, 02-Mar-%02d 10:00:00 GMT", year % 100);
            assertEquals(year, HttpDates.parse(text).getYear(), text);
        }
        String past = String.format(Locale.ROOT, "Monday, 02-Mar-%02d 10:00:00 GMT", (now + 51) % 100);
        assertEquals(now + 51 - 100, HttpDates.parse(past).getYear());
    }

    /** What the service itself sends as Last-Modified reads back as the same second. */
    @Test
    void readsBackEveryImfFixdateWritten() {
        DateTimeFormatter imf = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            OffsetDateTime time = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(random.nextLong(-62_000_000_000L,
                    253_402_300_799L)), ZoneOffset.UTC);
            assertEquals(time, HttpDates.parse(imf.format(time)), imf.format(time));
            assertEquals(time, HttpDates.parse(ETags.lastModified(time)));
        }
    }
}

package dev.tasks.rest;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3339 date-times (section 5.6), as {@code ?asOf} takes them: exactly that grammar. {@link
 * OffsetDateTime#parse} is not it: it takes ISO-8601 forms RFC 3339 leaves out (no seconds, years of
 * five digits and more, offsets with seconds) and refuses two that RFC 3339 allows, offsets beyond
 * ±18:00 (up to ±23:59) and a leap second ({@code :60}). PostgreSQL has no leap seconds, so one is read
 * as the last microsecond of the second before it: after every change of that second, before any of the
 * next. A lower-case {@code t} or {@code z} is allowed, as RFC 3339 allows it.
 */
final class Rfc3339 {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))");

    private Rfc3339() {
    }

    /** The instant, in UTC and truncated to microseconds; empty when the text is not an RFC 3339 date-time. */
    static Optional<OffsetDateTime> parse(String text) {
        Matcher m = DATE_TIME.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int second = number(m, 6);
        int offsetHours = m.group(8) == null ? 0 : number(m, 9);
        int offsetMinutes = m.group(8) == null ? 0 : number(m, 10);
        if (second > 60 || offsetHours > 23 || offsetMinutes > 59) {
            return Optional.empty();
        }
        int nanos = fractionNanos(m.group(7));
        if (second == 60) {
            second = 59;
            nanos = 999_999_000;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(number(m, 1), number(m, 2), number(m, 3), number(m, 4), number(m, 5), second, nanos);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        int offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60 * ("-".equals(m.group(8)) ? -1 : 1);
        return Optional.of(local.minusSeconds(offsetSeconds).atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Up to nine digits count; more are below a nanosecond. */
    private static int fractionNanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        String nine = fraction.length() >= 9 ? fraction.substring(0, 9) : fraction + "0".repeat(9 - fraction.length());
        return Integer.parseInt(nine);
    }
}

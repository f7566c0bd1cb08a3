package dev.tasks.config;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's time format, ISO-8601 in UTC with all six fractional digits ({@code 2026-12-01T12:00:00.123456Z}),
 * written and read without {@link DateTimeFormatter}. A page of the change feed writes hundreds of times
 * and reads those of the stored rows; through {@code DateTimeFormatter} that was a fifth of the route's CPU
 * in a profile under load. {@link #PATTERN} is the same format as a formatter, which the tests compare with.
 */
public final class UtcMicros {

    /** A local date-time, then an offset of up to three digits of hours, minutes and seconds. */
    private static final Pattern FAR_OFFSET = Pattern.compile("(.+T[^+-]+)([+-])(\\d{1,3})(?::(\\d{2}))?(?::(\\d{2}))?");

    /** The format as a {@link DateTimeFormatter}: what {@link #format} writes. */
    public static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private UtcMicros() {
    }

    /** The time in UTC, truncated to microseconds. */
    public static String format(OffsetDateTime time) {
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            return PATTERN.format(utc);
        }
        char[] out = new char[27];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, utc.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, utc.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, utc.getHour(), 2);
        out[13] = ':';
        digits(out, 14, utc.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, utc.getSecond(), 2);
        out[19] = '.';
        digits(out, 20, utc.getNano() / 1000, 6);
        out[26] = 'Z';
        return new String(out);
    }

    /**
     * An ISO-8601 date-time with offset. The shape PostgreSQL gives a {@code timestamptz} inside JSON
     * ({@code 2026-12-01T12:00:00.1234+00:00}: zero to six fractional digits, offset {@code +00:00} or
     * {@code Z}) is read directly; anything else goes to {@link OffsetDateTime#parse}, and an offset beyond
     * its ±18 hours to {@link #beyondEighteenHours}.
     */
    public static OffsetDateTime parse(String text) {
        int n = text.length();
        int fractionEnd = text.endsWith("Z") ? n - 1 : text.endsWith("+00:00") ? n - 6 : -1;
        if (fractionEnd >= 19 && n <= 32 && shapeOk(text, fractionEnd)) {
            int nanos = 0;
            if (fractionEnd > 19) {
                int digits = fractionEnd - 20;
                nanos = number(text, 20, fractionEnd);
                for (int i = digits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return OffsetDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10), number(text, 11, 13),
                    number(text, 14, 16), number(text, 17, 19), nanos, ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            OffsetDateTime far = beyondEighteenHours(text);
            if (far == null) {
                throw e;
            }
            return far;
        }
    }

    /**
     * A time written under a session time zone more than 18 hours from UTC, which PostgreSQL accepts (a
     * POSIX zone such as {@code XXX+167} is up to 167 hours off) and writes as such
     * ({@code 2026-11-26T19:46:13.773531-167:00}, or {@code +05:53:28} with seconds), and Java's offsets
     * do not hold: read as the same instant in UTC. Null when the text has no such offset.
     */
    private static OffsetDateTime beyondEighteenHours(String text) {
        Matcher far = FAR_OFFSET.matcher(text);
        if (!far.matches()) {
            return null;
        }
        long seconds = Long.parseLong(far.group(3)) * 3600 + (far.group(4) == null ? 0 : Long.parseLong(far.group(4)) * 60)
                + (far.group(5) == null ? 0 : Long.parseLong(far.group(5)));
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(far.group(1));
        } catch (DateTimeParseException e) {
            return null;
        }
        return local.minusSeconds("-".equals(far.group(2)) ? -seconds : seconds).atOffset(ZoneOffset.UTC);
    }

    /** {@code uuuu-MM-ddTHH:mm:ss}, then nothing or a dot and one to six digits up to {@code fractionEnd}. */
    private static boolean shapeOk(String text, int fractionEnd) {
        for (int i = 0; i < 19; i++) {
            char c = text.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        if (fractionEnd == 19) {
            return true;
        }
        if (text.charAt(19) != '.' || fractionEnd - 20 < 1 || fractionEnd - 20 > 6) {
            return false;
        }
        for (int i = 20; i < fractionEnd; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}

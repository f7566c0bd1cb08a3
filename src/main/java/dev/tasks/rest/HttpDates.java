package dev.tasks.rest;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP dates as RFC 9110 defines them (section 5.6.7): IMF-fixdate, which is what a server sends, and the
 * obsolete RFC 850 and asctime forms a recipient must also accept. Anything else is not a date, and a
 * conditional header holding one is ignored. Netty's parser, used before, reads cookie dates (RFC 6265):
 * it skips what it does not know, so {@code 09:05:05 +0900} or {@code PST} were read as GMT, and it
 * throws past 64 characters. Java's RFC 1123 formatter accepts numeric offsets. The grammar is small
 * enough to follow here.
 */
final class HttpDates {

    private static final String DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
            "Oct", "Nov", "Dec");

    /**
     * {@code Sun, 06 Nov 1994 08:49:37 GMT}; also with a one-digit day, which Java's
     * {@code DateTimeFormatter.RFC_1123_DATE_TIME} writes: its meaning is the same.
     */
    private static final Pattern IMF_FIXDATE = Pattern.compile(DAY + ", (\\d{1,2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static final Pattern RFC_850 = Pattern.compile(
            "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME + " GMT");
    /** {@code Sun Nov  6 08:49:37 1994} */
    private static final Pattern ASCTIME = Pattern.compile(DAY + " " + MONTH + " ([ \\d]\\d) " + TIME + " (\\d{4})");

    private HttpDates() {
    }

    /** The instant an HTTP date names, in UTC; null when the text is not one. */
    static OffsetDateTime parse(String text) {
        Matcher m = IMF_FIXDATE.matcher(text);
        if (m.matches()) {
            return of(Integer.parseInt(m.group(4)), m.group(3), m.group(2), m, 5);
        }
        m = RFC_850.matcher(text);
        if (m.matches()) {
            return of(fullYear(Integer.parseInt(m.group(4))), m.group(3), m.group(2), m, 5);
        }
        m = ASCTIME.matcher(text);
        if (m.matches()) {
            return of(Integer.parseInt(m.group(7)), m.group(2), m.group(3).strip(), m, 4);
        }
        return null;
    }

    /**
     * A two-digit year of the RFC 850 form: this century's, unless that is more than 50 years ahead, in
     * which case the most recent past year with those digits (RFC 9110, section 5.6.7).
     */
    private static int fullYear(int twoDigits) {
        int now = Year.now(ZoneOffset.UTC).getValue();
        int year = now - now % 100 + twoDigits;
        return year > now + 50 ? year - 100 : year;
    }

    private static OffsetDateTime of(int year, String month, String day, Matcher m, int timeGroup) {
        int second = Integer.parseInt(m.group(timeGroup + 2));
        try {
            // A leap second (60) is taken as the second before it, as a clock that does not have it reads it.
            return LocalDateTime.of(year, MONTHS.indexOf(month) + 1, Integer.parseInt(day),
                    Integer.parseInt(m.group(timeGroup)), Integer.parseInt(m.group(timeGroup + 1)),
                    second == 60 ? 59 : second).atOffset(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // 31 Feb, 25:00, a day 00: not a date
        }
    }
}

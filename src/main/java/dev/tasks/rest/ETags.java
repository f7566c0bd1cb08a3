package dev.tasks.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.tasks.service.TaskVersions;

/**
 * Entity tags of tasks: the row's {@code updated_at} in microseconds since the epoch, as a strong tag
 * ({@code "1763715445320624"}). {@code updated_at} only moves forward and moves on every real change,
 * so equal tags mean the same stored row.
 */
final class ETags {

    /**
     * The opaque values this service issues: a decimal number with no leading zero, so that one version
     * has one tag and tags compare exactly, as RFC 9110 asks ({@code "0123"} is not {@code "123"}).
     */
    private static final Pattern DIGITS = Pattern.compile("0|[1-9]\\d{0,17}");
    /** RFC 9110's IMF-fixdate, the form an HTTP date is sent in ({@code Tue, 01 Dec 2026 18:36:55 GMT}). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ETags() {
    }

    /**
     * {@code Last-Modified} for a row: its {@code updated_at} to the second. Written here with a shared
     * formatter: handed a {@code Date}, the REST layer builds a {@code SimpleDateFormat} per answer (3% of a
     * read's samples).
     */
    static String lastModified(OffsetDateTime updatedAt) {
        return HTTP_DATE.format(updatedAt);
    }

    static String of(OffsetDateTime updatedAt) {
        return "\"" + ChronoUnit.MICROS.between(Instant.EPOCH, updatedAt.toInstant()) + "\"";
    }

    /**
     * Versions accepted by an {@code If-Match} header. Weak tags never match (If-Match compares
     * strongly), and tags this service cannot have issued match nothing.
     */
    private static TaskVersions ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return TaskVersions.UNCONDITIONAL;
        }
        if (header.strip().equals("*")) {
            return TaskVersions.ANY;
        }
        return TaskVersions.matching(versions(tags(header).stream().filter(tag -> tag[0] == null).map(tag -> tag[1])));
    }

    /**
     * The versions that opaque tag values name; values this service cannot have issued name none,
     * among them times past the year 9999, which PostgreSQL's clock will not reach.
     */
    private static List<OffsetDateTime> versions(Stream<String> opaques) {
        return opaques.filter(opaque -> DIGITS.matcher(opaque).matches())
                .map(opaque -> Instant.EPOCH.plus(Long.parseLong(opaque), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                .filter(version -> !version.isAfter(TaskVersions.LATEST))
                .toList();
    }

    /**
     * The precondition of a write, or of a read without its {@code If-None-Match} (RFC 9110, section 13.2.2):
     * {@code If-Match} when sent; otherwise {@code If-Unmodified-Since} when it holds a valid HTTP date (an
     * invalid one is ignored, as the RFC asks); and {@code If-None-Match}, which on a write refuses the
     * versions it names (weak comparison), or every version for {@code *}.
     */
    static TaskVersions precondition(String ifMatch, String ifUnmodifiedSince, String ifNoneMatch) {
        TaskVersions accepted;
        if (ifMatch != null && !ifMatch.isBlank()) {
            accepted = ifMatch(ifMatch);
        } else {
            OffsetDateTime date = httpDate(ifUnmodifiedSince);
            accepted = date == null ? TaskVersions.UNCONDITIONAL : TaskVersions.unmodifiedSince(date);
        }
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return accepted;
        }
        if (ifNoneMatch.strip().equals("*")) {
            return accepted.refusing(true, List.of());
        }
        return accepted.refusing(false, versions(tags(ifNoneMatch).stream().map(tag -> tag[1])));
    }

    /**
     * Whether a read answers 304 (RFC 9110, section 13.2.2): {@code If-None-Match} names the current tag;
     * or, without {@code If-None-Match}, {@code If-Modified-Since} holds a valid HTTP date at or after
     * {@code Last-Modified}, which is {@code updated_at} to the second. A date later than this server's
     * clock is not one a client read from it, and is ignored (RFC 7232, section 3.3).
     */
    static boolean notModified(String ifNoneMatch, String ifModifiedSince, OffsetDateTime updatedAt) {
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            return noneMatchHits(ifNoneMatch, of(updatedAt));
        }
        OffsetDateTime date = httpDate(ifModifiedSince);
        return date != null && !date.toInstant().isAfter(Instant.now()) && updatedAt.isBefore(date.plusSeconds(1));
    }

    /**
     * An HTTP date in any of the three forms a recipient must accept (IMF-fixdate, RFC 850, asctime);
     * null when absent or not a date.
     */
    static OffsetDateTime httpDate(String header) {
        return header == null ? null : HttpDates.parse(header.strip());
    }

    /** Whether {@code If-None-Match} names the current tag (weak comparison, as RFC 9110 asks). */
    static boolean noneMatchHits(String header, String currentTag) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        String opaque = currentTag.substring(1, currentTag.length() - 1);
        return tags(header).stream().anyMatch(tag -> tag[1].equals(opaque));
    }

    /**
     * {weak prefix or null, opaque value} for each well-formed tag of a list. Empty elements are skipped, as
     * RFC 9110 (section 5.6.1.2) asks of a recipient, and so is a malformed element, up to the next comma:
     * neither hides the tags after it.
     */
    private static List<String[]> tags(String header) {
        List<String[]> tags = new ArrayList<>();
        int n = header.length();
        int i = 0;
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            boolean weak = header.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            int close = open < n && header.charAt(open) == '"' ? header.indexOf('"', open + 1) : -1;
            int after = close + 1;
            while (close >= 0 && after < n && (header.charAt(after) == ' ' || header.charAt(after) == '\t')) {
                after++;
            }
            if (close >= 0 && (after == n || header.charAt(after) == ',')) {
                tags.add(new String[] { weak ? "W/" : null, header.substring(open + 1, close) });
                i = after;
            } else {
                int comma = header.indexOf(',', i);
                i = comma < 0 ? n : comma + 1;
            }
        }
        return tags;
    }
}

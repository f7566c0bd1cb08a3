package dev.tasks.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import dev.tasks.config.JacksonConfig;

/**
 * The versions a conditional write accepts: from {@code If-Match} or, without it, from
 * {@code If-Unmodified-Since}; and, from {@code If-None-Match}, the versions it refuses. A task's version
 * is its {@code updated_at}, which the database moves forward on every real change.
 *
 * @param any        no version check by tag: {@code If-Match: *}, or no {@code If-Match} at all
 * @param versions   the accepted versions; empty when none of the tags could name one
 * @param before     {@code If-Unmodified-Since}: only versions older than this (the date plus one second,
 *                   since {@code Last-Modified} is {@code updated_at} to the second); null for no bound
 * @param refuseAll  {@code If-None-Match: *}: no existing version is accepted
 * @param refused    the versions {@code If-None-Match} names; the write happens only in another one
 */
public record TaskVersions(boolean any, List<OffsetDateTime> versions, OffsetDateTime before, boolean refuseAll,
        List<OffsetDateTime> refused) {

    /** The last instant a version can be: PostgreSQL's text form of times has four-digit years. */
    public static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC);
    /** The first instant a bound can be sent as: PostgreSQL has no year 0. */
    private static final OffsetDateTime EARLIEST = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** No precondition: the write is unconditional. */
    public static final TaskVersions UNCONDITIONAL = new TaskVersions(true, List.of(), null, false, List.of());

    /** {@code If-Match: *}: any existing version. */
    public static final TaskVersions ANY = UNCONDITIONAL;

    /** {@code If-Match} with these tags' versions. */
    public static TaskVersions matching(List<OffsetDateTime> versions) {
        return new TaskVersions(false, versions, null, false, List.of());
    }

    /** {@code If-Unmodified-Since}: a version whose {@code Last-Modified} is at or before {@code date}. */
    public static TaskVersions unmodifiedSince(OffsetDateTime date) {
        OffsetDateTime before = date.plusSeconds(1);
        if (before.isAfter(LATEST)) {
            return UNCONDITIONAL; // the last second there is: every version is older
        }
        // Before year 1 every version is newer, and so is year 1.
        return new TaskVersions(true, List.of(), before.isBefore(EARLIEST) ? EARLIEST : before, false, List.of());
    }

    /** These versions with {@code If-None-Match} added: {@code all} for {@code *}, else the versions it names. */
    public TaskVersions refusing(boolean all, List<OffsetDateTime> named) {
        return new TaskVersions(any, versions, before, all, named);
    }

    /**
     * The SQL array literal the statement's {@code If-Match} check compares with, or null for no such check.
     * {@code If-None-Match: *} accepts no version at all: the empty array.
     */
    public String asSqlArray() {
        if (refuseAll) {
            return "{}";
        }
        if (any) {
            return null;
        }
        return literal(versions);
    }

    /** The SQL array literal of the versions {@code If-None-Match} names, or null for none. */
    public String refusedAsSqlArray() {
        return refused.isEmpty() ? null : literal(refused);
    }

    /** The exclusive upper bound on {@code updated_at} as a SQL literal, or null for none. */
    public String beforeAsSql() {
        return before == null ? null : JacksonConfig.format(before);
    }

    /** Whether a write can be refused by its precondition (412), as opposed to only by a missing task. */
    public boolean conditional() {
        return !any || before != null || refuseAll || !refused.isEmpty();
    }

    /**
     * The header that refuses a task in version {@code current}, in the order RFC 9110 evaluates them
     * (section 13.2.2). When none does (the task changed again after the write missed), the first one sent.
     */
    public String refusedBy(OffsetDateTime current) {
        String header = refuser(current);
        if (header != null) {
            return header;
        }
        return !any ? "If-Match" : before != null ? "If-Unmodified-Since" : "If-None-Match";
    }

    /** Whether a task in version {@code current} meets every precondition. */
    public boolean accepts(OffsetDateTime current) {
        return refuser(current) == null;
    }

    private String refuser(OffsetDateTime current) {
        if (!any && versions.stream().noneMatch(current::isEqual)) {
            return "If-Match";
        }
        if (before != null && !current.isBefore(before)) {
            return "If-Unmodified-Since";
        }
        if (refuseAll || refused.stream().anyMatch(current::isEqual)) {
            return "If-None-Match";
        }
        return null;
    }

    private static String literal(List<OffsetDateTime> times) {
        return times.stream().map(JacksonConfig::format).collect(Collectors.joining(",", "{", "}"));
    }
}

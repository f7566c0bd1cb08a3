package dev.tasks.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

import dev.tasks.config.JacksonConfig;

/**
 * The versions a conditional write accepts, taken from {@code If-Match} or, without it, from
 * {@code If-Unmodified-Since}. A task's version is its {@code updated_at}, which the database moves
 * forward on every real change.
 *
 * @param any      no version check by tag: {@code If-Match: *}, or no {@code If-Match} at all
 * @param versions the accepted versions; empty when none of the tags could name one
 * @param before   {@code If-Unmodified-Since}: only versions older than this (the date plus one second,
 *                 since {@code Last-Modified} is {@code updated_at} to the second); null for no bound
 */
public record TaskVersions(boolean any, List<OffsetDateTime> versions, OffsetDateTime before) {

    /** No precondition: the write is unconditional. */
    public static final TaskVersions UNCONDITIONAL = new TaskVersions(true, List.of(), null);

    /** {@code If-Match: *}: any existing version. */
    public static final TaskVersions ANY = UNCONDITIONAL;

    /** {@code If-Match} with these tags' versions. */
    public static TaskVersions matching(List<OffsetDateTime> versions) {
        return new TaskVersions(false, versions, null);
    }

    /** {@code If-Unmodified-Since}: a version whose {@code Last-Modified} is at or before {@code date}. */
    public static TaskVersions unmodifiedSince(OffsetDateTime date) {
        return new TaskVersions(true, List.of(), date.plusSeconds(1));
    }

    /** The SQL array literal the update statement compares with, or null for no tag condition. */
    public String asSqlArray() {
        if (any) {
            return null;
        }
        return versions.stream().map(JacksonConfig::format).collect(Collectors.joining(",", "{", "}"));
    }

    /** The exclusive upper bound on {@code updated_at} as a SQL literal, or null for none. */
    public String beforeAsSql() {
        return before == null ? null : JacksonConfig.format(before);
    }

    /** Whether a write can be refused by its precondition (412), as opposed to only by a missing task. */
    public boolean conditional() {
        return !any || before != null;
    }
}

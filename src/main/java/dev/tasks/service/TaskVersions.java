package dev.tasks.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

import dev.tasks.config.JacksonConfig;

/**
 * The versions a conditional write accepts, taken from {@code If-Match}. A task's version is its
 * {@code updated_at}, which the database moves forward on every real change.
 *
 * @param any      {@code If-Match: *}: any existing version
 * @param versions the accepted versions; empty when none of the tags could name one
 */
public record TaskVersions(boolean any, List<OffsetDateTime> versions) {

    /** No {@code If-Match}: the write is unconditional. */
    public static final TaskVersions UNCONDITIONAL = new TaskVersions(true, List.of());

    /** The SQL array literal the update statement compares with, or null for no condition. */
    public String asSqlArray() {
        if (any) {
            return null;
        }
        return versions.stream().map(JacksonConfig::format).collect(Collectors.joining(",", "{", "}"));
    }

    public boolean conditional() {
        return !any;
    }
}

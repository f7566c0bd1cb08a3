package dev.tasks.mapping;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A task as the audit trail stored it, the change feed's {@code row}: the same JSON as {@link TaskResponse},
 * with the times already in the API's text ({@link dev.tasks.config.UtcMicros#fromJson}). The stored row
 * holds them as text, so they go from text to text without becoming {@code OffsetDateTime} in between.
 */
public record StoredTask(
        long id,
        String title,
        boolean done,
        String createdAt,
        String updatedAt,
        @JsonRawValue String fieldUpdatedAt) {
}

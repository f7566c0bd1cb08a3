package dev.tasks.mapping;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tasks.config.UtcMicros;
import dev.tasks.entity.Task;

/** A task as the API shows it: the values stored in PostgreSQL, times in UTC with microseconds. */
public record TaskResponse(
        long id,
        String title,
        boolean done,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        Map<String, String> fieldUpdatedAt) {

    public static TaskResponse from(Task task) {
        return new TaskResponse(task.getId(), task.getTitle(), task.isDone(), task.getCreatedAt(),
                task.getUpdatedAt(), task.getFieldUpdatedAt());
    }

    /**
     * A task from a row as the audit trail stores it ({@code to_jsonb} of the row: column names as keys,
     * times with the writer's offset, which the API shows in UTC like any other time).
     */
    public static TaskResponse fromStoredRow(JsonNode row) {
        Map<String, String> fieldTimes = new LinkedHashMap<>();
        row.path("field_updated_at").fields().forEachRemaining(e -> fieldTimes.put(e.getKey(), e.getValue().asText()));
        return new TaskResponse(row.path("id").asLong(), row.path("title").asText(null), row.path("done").asBoolean(),
                time(row.get("created_at")), time(row.get("updated_at")), fieldTimes);
    }

    private static OffsetDateTime time(JsonNode value) {
        return value == null || value.isNull() ? null : UtcMicros.parse(value.asText());
    }
}

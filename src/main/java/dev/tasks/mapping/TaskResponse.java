package dev.tasks.mapping;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.tasks.config.UtcMicros;
import dev.tasks.entity.Task;

/**
 * A task as the API shows it: the values stored in PostgreSQL, times in UTC with microseconds.
 *
 * @param fieldUpdatedAt column name to the time that column last changed: the JSON object the
 *        {@code zz_10_timestamps} trigger stored (its times are already in the API's format), as PostgreSQL
 *        writes a {@code jsonb} out, and written into the answer as it is, like a history entry's
 *        {@code changes}. Where the map comes decoded (a write's entity, an audit row), {@link #json} writes
 *        it in that same form, so a task's answer is the same bytes whichever route gives it.
 */
public record TaskResponse(
        long id,
        String title,
        boolean done,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @JsonRawValue String fieldUpdatedAt) {

    public static TaskResponse from(Task task) {
        return new TaskResponse(task.getId(), task.getTitle(), task.isDone(), task.getCreatedAt(),
                task.getUpdatedAt(), json(task.getFieldUpdatedAt()));
    }

    /**
     * A task from a row as the audit trail stores it ({@code to_jsonb} of the row: column names as keys,
     * times with the writer's offset, which the API shows in UTC like any other time).
     */
    public static TaskResponse fromStoredRow(JsonNode row) {
        Map<String, String> fieldTimes = new LinkedHashMap<>();
        row.path("field_updated_at").fields().forEachRemaining(e -> fieldTimes.put(e.getKey(), e.getValue().asText()));
        return new TaskResponse(row.path("id").asLong(), row.path("title").asText(null), row.path("done").asBoolean(),
                time(row.get("created_at")), time(row.get("updated_at")), json(fieldTimes));
    }

    /**
     * A map of column names to times as the JSON text PostgreSQL writes for the {@code jsonb} it was read
     * from ({@code {"done": "...", "title": "..."}}: a space after each colon and comma, keys in the
     * order given, which for a map read from {@code jsonb} is PostgreSQL's own).
     */
    public static String json(Map<String, String> fieldTimes) {
        if (fieldTimes == null || fieldTimes.isEmpty()) {
            return "{}";
        }
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        StringBuilder out = new StringBuilder(24 + 40 * fieldTimes.size()).append('{');
        fieldTimes.forEach((column, time) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append('"');
            encoder.quoteAsString(column, out);
            out.append("\": ");
            if (time == null) {
                out.append("null");
            } else {
                out.append('"');
                encoder.quoteAsString(time, out);
                out.append('"');
            }
        });
        return out.append('}').toString();
    }

    private static OffsetDateTime time(JsonNode value) {
        return value == null || value.isNull() ? null : UtcMicros.parse(value.asText());
    }
}

package dev.tasks.mapping;

import java.time.OffsetDateTime;
import java.util.Map;

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
}

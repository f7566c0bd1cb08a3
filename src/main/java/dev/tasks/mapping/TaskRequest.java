package dev.tasks.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /tasks}, {@code PUT /tasks/{id}} and {@code POST /tasks/{id}}. The fields the
 * database maintains may be sent back as they were read, and are ignored.
 *
 * @param title what the task is, 1 to 500 characters, not only blanks
 * @param done  whether it is finished; absent means false
 */
@JsonIgnoreProperties(value = { "id", "createdAt", "updatedAt", "fieldUpdatedAt" }, allowGetters = false)
public record TaskRequest(
        @NotBlank @Size(max = TaskRequest.TITLE_MAX) String title,
        Boolean done) {

    public static final int TITLE_MAX = 500;

    public boolean doneOrFalse() {
        return done != null && done;
    }
}

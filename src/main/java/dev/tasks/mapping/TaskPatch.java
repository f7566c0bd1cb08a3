package dev.tasks.mapping;

import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.CodePointLength;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Body of {@code PATCH /tasks/{id}} ({@code application/merge-patch+json}): a field left out keeps its
 * value. Both fields are required columns, so an explicit {@code null} (which would remove the field in
 * RFC 7396) is refused. A class rather than a record: Jackson must tell a missing field from a null one.
 */
@JsonIgnoreProperties(value = { "id", "createdAt", "updatedAt", "fieldUpdatedAt" })
public class TaskPatch {

    @JsonSetter(nulls = Nulls.FAIL)
    @CodePointLength(min = 1, max = TaskRequest.TITLE_MAX, message = TaskRequest.LENGTH_MESSAGE)
    // Blank as @NotBlank on TaskRequest has it (Character.isWhitespace: U+3000 or U+2028 alone is blank).
    @Pattern(regexp = "(?s).*\\P{javaWhitespace}.*", message = "must not be blank")
    @Pattern(regexp = TaskRequest.PRINTABLE, message = TaskRequest.PRINTABLE_MESSAGE)
    private String title;

    @JsonSetter(nulls = Nulls.FAIL)
    private Boolean done;

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public Boolean getDone() {
        return done;
    }

    public void setDone(Boolean done) {
        this.done = done;
    }
}

package dev.tasks.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.CodePointLength;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /tasks}, {@code PUT /tasks/{id}} and {@code POST /tasks/{id}}. The fields the
 * database maintains may be sent back as they were read, and are ignored.
 *
 * @param title what the task is, 1 to 500 characters, not only blanks, no NUL
 * @param done  whether it is finished; absent means false
 */
@JsonIgnoreProperties(value = { "id", "createdAt", "updatedAt", "fieldUpdatedAt" }, allowGetters = false)
public record TaskRequest(
        @NotBlank @CodePointLength(max = TaskRequest.TITLE_MAX)
        @Pattern(regexp = TaskRequest.NO_NUL, message = TaskRequest.NO_NUL_MESSAGE) String title,
        Boolean done) {

    /** Characters (code points, so an emoji counts once), as PostgreSQL's char_length counts them. */
    public static final int TITLE_MAX = 500;
    /** PostgreSQL text cannot hold U+0000. */
    static final String NO_NUL = "(?s)[^\\x{0}]*";
    static final String NO_NUL_MESSAGE = "must not contain the NUL character";

    public boolean doneOrFalse() {
        return done != null && done;
    }
}

package dev.tasks.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.CodePointLength;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of {@code POST /tasks}, {@code PUT /tasks/{id}} and {@code POST /tasks/{id}}. The fields the
 * database maintains may be sent back as they were read, and are ignored.
 *
 * @param title what the task is, 1 to 500 characters, not only blanks, no control characters
 * @param done  whether it is finished; absent means false
 */
@JsonIgnoreProperties(value = { "id", "createdAt", "updatedAt", "fieldUpdatedAt" }, allowGetters = false)
public record TaskRequest(
        @NotBlank @CodePointLength(max = TaskRequest.TITLE_MAX)
        @Pattern(regexp = TaskRequest.PRINTABLE, message = TaskRequest.PRINTABLE_MESSAGE) String title,
        Boolean done) {

    /** Characters (code points, so an emoji counts once), as PostgreSQL's char_length counts them. */
    public static final int TITLE_MAX = 500;
    /**
     * No control characters (a title is one line, and PostgreSQL text cannot hold U+0000) and no
     * unpaired surrogates (not encodable as UTF-8).
     */
    static final String PRINTABLE = "[^\\p{Cc}\\p{Cs}]*";
    static final String PRINTABLE_MESSAGE = "must not contain control characters or unpaired surrogates";

    public boolean doneOrFalse() {
        return done != null && done;
    }
}

package dev.tasks.mapping;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.CodePointLength;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * Body of {@code POST /tasks}, {@code PUT /tasks/{id}} and {@code POST /tasks/{id}}: a title, 1 to 500
 * characters, not only blanks, no control characters, and {@code done}, false when absent. An explicit
 * {@code null} for {@code done} is refused, not taken for false. The fields the database maintains may be
 * sent back as they were read, and are ignored. A class rather than a record: Jackson must tell a missing
 * field from a null one.
 */
@JsonIgnoreProperties(value = { "id", "createdAt", "updatedAt", "fieldUpdatedAt" }, allowGetters = false)
public class TaskRequest {

    /** Characters (code points, so an emoji counts once), as PostgreSQL's char_length counts them. */
    public static final int TITLE_MAX = 500;
    static final String LENGTH_MESSAGE = "must be 1 to " + TITLE_MAX + " characters";
    /**
     * No control characters (a title is one line, and PostgreSQL text cannot hold U+0000) and no
     * unpaired surrogates (not encodable as UTF-8).
     */
    static final String PRINTABLE = "[^\\p{Cc}\\p{Cs}]*";
    static final String PRINTABLE_MESSAGE = "must not contain control characters or unpaired surrogates";

    @NotBlank
    @CodePointLength(max = TITLE_MAX, message = LENGTH_MESSAGE)
    @Pattern(regexp = PRINTABLE, message = PRINTABLE_MESSAGE)
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

    public boolean doneOrFalse() {
        return done != null && done;
    }
}

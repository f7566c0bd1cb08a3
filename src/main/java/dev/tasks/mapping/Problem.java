package dev.tasks.mapping;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 *
 * @param errors for validation problems, one entry per offending field
 * @param next for a change-feed cursor before the retained range (410), the lowest cursor still served
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldError> errors, String next) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String ABOUT_BLANK = "about:blank";
    /** Input that was read but refused: a field, a parameter or a header, named in {@code errors}. */
    public static final String VALIDATION_TYPE = "urn:tasks:problem:validation";

    /** The one way to make a problem: the title is always the status's reason phrase. */
    public static Problem of(int status, String type, String detail, String instance, List<FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        // RFC 9110's names where JAX-RS keeps RFC 7231's, or has no constant (422).
        String title = switch (status) {
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            default -> known != null ? known.getReasonPhrase() : "HTTP " + status;
        };
        return new Problem(type, title, status, detail, instance, errors, null);
    }

    /** The same problem with the cursor a client resumes from after resynchronising. */
    public Problem withNext(String cursor) {
        return new Problem(type, title, status, detail, instance, errors, cursor);
    }

    /** A field that failed validation and why. */
    public record FieldError(String field, String message) {
    }
}

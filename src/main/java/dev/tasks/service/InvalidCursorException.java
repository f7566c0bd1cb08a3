package dev.tasks.service;

import dev.tasks.mapping.Problem.FieldError;

/**
 * A change-feed cursor this service did not issue (malformed, or pointing past the feed); 400. The field
 * error names where the cursor came from: the query parameter {@code after}, or the stream's
 * {@code Last-Event-ID} header.
 */
public class InvalidCursorException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** Where a cursor comes from unless the stream's header sent it. */
    public static final String AFTER = "after";

    public InvalidCursorException(String field) {
        this("The cursor is not one this service issued; start without one or pass back the last 'next' value.", field);
    }

    private InvalidCursorException(String detail, String field) {
        super(400, "urn:tasks:problem:invalid-cursor", detail, new FieldError(field, "is not a cursor this service issued"));
    }

    /** The same refusal, for a cursor that came from {@code field}. */
    public InvalidCursorException from(String field) {
        return new InvalidCursorException(getMessage(), field);
    }

    /**
     * A cursor past every position the database has reached: not issued here, or issued before the database
     * was restored or failed over to an earlier point, which lost changes the client has already read.
     */
    public static InvalidCursorException ahead() {
        return new InvalidCursorException("The cursor names a position this database has not reached: it was not issued "
                + "here, or the database went back to an earlier point since (a restore or a failover), losing changes "
                + "already read. Resynchronise: read every task from GET /tasks, then follow the feed without a cursor.", AFTER);
    }
}

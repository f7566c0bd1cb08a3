package dev.tasks.service;

import dev.tasks.mapping.Problem.FieldError;

/** A change-feed cursor this service did not issue (malformed, or pointing past the feed); 400. */
public class InvalidCursorException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public InvalidCursorException() {
        super(400, "urn:tasks:problem:invalid-cursor",
                "The cursor is not one this service issued; start without one or pass back the last 'next' value.",
                new FieldError("after", "is not a cursor this service issued"));
    }
}

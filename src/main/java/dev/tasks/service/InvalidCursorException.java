package dev.tasks.service;

/** A change-feed cursor this service did not issue (malformed, or pointing past the feed); 400. */
public class InvalidCursorException extends RuntimeException {

    public InvalidCursorException() {
        super("The cursor is not one this service issued; start without one or pass back the last 'next' value.");
    }
}

package dev.tasks.service;

import dev.tasks.mapping.Problem.FieldError;

/** A revert names a version that is not a change of this task that left a row: 422. */
public class UnknownVersionException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private UnknownVersionException(String message) {
        super(422, "urn:tasks:problem:unknown-version", message,
                new FieldError("version", "is not a change of this task that left values"));
    }

    public static UnknownVersionException notOfTask(long id, long version) {
        return new UnknownVersionException("Version " + version + " is not a change of task " + id
                + "; take a version from its history or from the change feed.");
    }

    public static UnknownVersionException deletion(long id, long version) {
        return new UnknownVersionException("Version " + version + " of task " + id
                + " is its deletion, which left no values to go back to.");
    }
}

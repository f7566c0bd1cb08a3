package dev.tasks.service;

/** A write that must be conditional came without {@code If-Match}: 428. */
public class PreconditionRequiredException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public PreconditionRequiredException(long id) {
        super(428, "urn:tasks:problem:precondition-required", "Reverting task " + id + " requires If-Match with its "
                + "current ETag, so that it cannot undo a change its client has not seen.");
    }
}

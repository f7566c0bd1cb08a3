package dev.tasks.service;

/** A write that must be conditional came without {@code If-Match}: 428. */
public class PreconditionRequiredException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PreconditionRequiredException(long id) {
        super("Reverting task " + id + " requires If-Match with its current ETag, so that it cannot undo a change "
                + "its client has not seen.", null, false, false);
    }
}

package dev.tasks.service;

/**
 * The task exists but in a version the client's precondition refuses: not one its {@code If-Match} named,
 * changed after the date of its {@code If-Unmodified-Since}, or one its {@code If-None-Match} named (any
 * version, for {@code *}); answered with 412.
 */
public class PreconditionFailedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private PreconditionFailedException(long id, String detail) {
        super(412, "urn:tasks:problem:stale-version", "Task " + id + " " + detail + "; fetch it again.");
    }

    /** The refusal by {@code header}: If-Match, If-Unmodified-Since or If-None-Match. */
    public static PreconditionFailedException of(long id, String header) {
        return new PreconditionFailedException(id, switch (header) {
            case "If-Unmodified-Since" -> "has changed since the date in If-Unmodified-Since";
            case "If-None-Match" -> "is in a version that If-None-Match refuses";
            default -> "has changed since the version named in If-Match";
        });
    }
}

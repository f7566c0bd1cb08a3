package dev.tasks.service;

/**
 * The task exists but not in the version the client's {@code If-Match} named, or it changed after the
 * date of its {@code If-Unmodified-Since}; answered with 412.
 */
public class PreconditionFailedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(long id) {
        super(412, "urn:tasks:problem:stale-version",
                "Task " + id + " has changed since the version named in If-Match; fetch it again.");
    }

    private PreconditionFailedException(long id, String detail) {
        super(412, "urn:tasks:problem:stale-version", "Task " + id + detail);
    }

    /** The refusal for what {@code accepted} asked: a version ({@code If-Match}) or a date. */
    public static PreconditionFailedException of(long id, TaskVersions accepted) {
        return accepted.before() == null ? new PreconditionFailedException(id)
                : new PreconditionFailedException(id, " has changed since the date in If-Unmodified-Since; fetch it again.");
    }
}

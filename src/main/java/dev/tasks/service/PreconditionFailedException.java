package dev.tasks.service;

/**
 * The task exists but not in the version the client's {@code If-Match} named, or it changed after the
 * date of its {@code If-Unmodified-Since}; answered with 412.
 */
public class PreconditionFailedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** A stale {@code If-Match}. */
    public PreconditionFailedException(long id) {
        this(id, "the version named in If-Match");
    }

    private PreconditionFailedException(long id, String since) {
        super(412, "urn:tasks:problem:stale-version", "Task " + id + " has changed since " + since + "; fetch it again.");
    }

    /** The refusal for what {@code accepted} asked: a version ({@code If-Match}) or a date. */
    public static PreconditionFailedException of(long id, TaskVersions accepted) {
        return accepted.before() == null ? new PreconditionFailedException(id)
                : new PreconditionFailedException(id, "the date in If-Unmodified-Since");
    }
}

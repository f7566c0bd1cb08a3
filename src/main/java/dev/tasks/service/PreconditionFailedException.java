package dev.tasks.service;

/** The task exists but not in the version the client's {@code If-Match} named; answered with 412. */
public class PreconditionFailedException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(long id) {
        super(412, "urn:tasks:problem:stale-version",
                "Task " + id + " has changed since the version named in If-Match; fetch it again.");
    }
}

package dev.tasks.stream;

import java.util.Map;

import dev.tasks.service.ProblemException;

/**
 * Every change stream this instance allows is open ({@code tasks.feed.stream.max-subscribers}): 503, since
 * another instance, or polling, can serve the client now.
 */
public class TooManySubscribersException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public TooManySubscribersException(int limit) {
        super(503, "urn:tasks:problem:too-many-streams",
                "This instance already serves its " + limit + " change streams. Retry later, or poll GET /tasks/changes.");
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Retry-After", "5");
    }
}

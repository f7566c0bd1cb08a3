package dev.tasks.stream;

/** Every change stream this instance allows is open ({@code tasks.feed.stream.max-subscribers}). */
public class TooManySubscribersException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TooManySubscribersException(int limit) {
        super("This instance already serves its " + limit + " change streams. Retry later, or poll GET /tasks/changes.",
                null, false, false);
    }
}

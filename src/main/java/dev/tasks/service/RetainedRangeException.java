package dev.tasks.service;

import dev.tasks.mapping.Problem;

/**
 * A feed cursor or a history page that points before the retained range of the audit trail: retention
 * removed entries the client would need. 410; the client resynchronises from {@code GET /tasks}.
 */
public class RetainedRangeException extends ProblemException {

    private static final long serialVersionUID = 1L;

    private final String next;

    private RetainedRangeException(String message, String next) {
        super(410, "urn:tasks:problem:before-retained-range", message);
        this.next = next;
    }

    /** A feed cursor below the retained range; {@code retained} is the lowest cursor still served. */
    public static RetainedRangeException feed(FeedCursor retained) {
        return new RetainedRangeException("Changes after this cursor were removed by the audit retention. Resynchronise: "
                + "read every task from GET /tasks, then follow the feed from the cursor in 'next'.", retained.encode());
    }

    /** The start of a task's history was removed by the audit retention. */
    public static RetainedRangeException history(long id) {
        return new RetainedRangeException("The start of the history of task " + id + " was removed by the audit "
                + "retention, so its pages can no longer be numbered; read the task's current state from GET /tasks/"
                + id + ".", null);
    }

    /** An instant before what retention left of a task's history: its state then is no longer known. */
    public static RetainedRangeException asOf(long id) {
        return new RetainedRangeException("The history of task " + id + " before that instant was removed by the audit "
                + "retention, so its state then is no longer known.", null);
    }

    /** For a feed cursor, the body names the lowest cursor the feed still serves. */
    @Override
    public Problem problem(String instance) {
        return super.problem(instance).withNext(next);
    }
}

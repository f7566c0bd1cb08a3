package dev.tasks.service;

import java.sql.SQLException;

import org.jboss.logging.Logger;

/**
 * A create whose id, drawn from the sequence of {@code tasks.id}, is already taken: another writer
 * inserted a task with an explicit id that the sequence had not reached yet. The statement failed as a
 * whole, so nothing was created (nor an idempotency key stored), and the same request sent again draws the
 * next id: 409. The operator moves the sequence past the taken ids with the call the log line gives.
 */
public class TaskIdTakenException extends ProblemException {

    private static final long serialVersionUID = 1L;

    static final String TYPE = "urn:tasks:problem:task-id-taken";

    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final Logger LOG = Logger.getLogger(TaskIdTakenException.class);

    TaskIdTakenException() {
        super(409, TYPE, "The id drawn for the new task is already taken by a task another writer inserted with "
                + "an explicit id. Nothing was created; send the request again, which draws the next id.");
    }

    /** Whether a create failed on a unique violation, which for tasks can only be its primary key. */
    static boolean isIdTaken(Throwable failure) {
        return uniqueViolation(failure) != null;
    }

    private static SQLException uniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    /** The refusal for a create that failed so, logged for the operator, who can prevent the next ones. */
    static TaskIdTakenException from(Throwable failure) {
        LOG.warnf("A create drew a task id that another writer had already used (%s). Move the sequence past the "
                + "taken ids: SELECT setval(pg_get_serial_sequence('tasks', 'id'), (SELECT max(id) FROM tasks))",
                uniqueViolation(failure).getMessage());
        return new TaskIdTakenException();
    }
}

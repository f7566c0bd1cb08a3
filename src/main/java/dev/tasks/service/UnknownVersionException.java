package dev.tasks.service;

/** A revert names a version that is not a change of this task that left a row: 422. */
public class UnknownVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownVersionException(String message) {
        super(message, null, false, false);
    }

    public static UnknownVersionException notOfTask(long id, long version) {
        return new UnknownVersionException("Version " + version + " is not a change of task " + id
                + "; take a version from its history or from the change feed.");
    }

    public static UnknownVersionException deletion(long id, long version) {
        return new UnknownVersionException("Version " + version + " of task " + id
                + " is its deletion, which left no values to go back to.");
    }
}

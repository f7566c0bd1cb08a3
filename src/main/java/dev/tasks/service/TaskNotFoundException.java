package dev.tasks.service;

/** No task has the id in the path; answered with 404. */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(long id) {
        super("No task has id " + id + ".");
    }
}

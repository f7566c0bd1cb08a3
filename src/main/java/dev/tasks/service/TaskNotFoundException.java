package dev.tasks.service;

/** No task has the id in the path; answered with 404. */
public class TaskNotFoundException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(long id) {
        super(404, "urn:tasks:problem:not-found", "No task has id " + id + ".");
    }
}

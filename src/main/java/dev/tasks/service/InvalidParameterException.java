package dev.tasks.service;

import dev.tasks.mapping.Problem;
import dev.tasks.mapping.Problem.FieldError;

/** A parameter or header that cannot be read: 400 naming it. */
public class InvalidParameterException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String parameter, String message) {
        super(400, Problem.VALIDATION_TYPE, parameter + " " + message, new FieldError(parameter, message));
    }
}

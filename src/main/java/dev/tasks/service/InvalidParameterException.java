package dev.tasks.service;

/** A query parameter that cannot be read: 400 naming it. */
public class InvalidParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}

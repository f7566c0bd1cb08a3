package dev.tasks.service;

import java.util.List;
import java.util.Map;

import dev.tasks.mapping.Problem;
import dev.tasks.mapping.Problem.FieldError;

/**
 * A request refused for a reason the client can act on, carrying its whole RFC 9457 answer but the
 * request path: status, problem type, detail (the message), field errors and headers. One mapper in
 * {@code rest/} answers every subclass. Control flow, not a bug: no stack trace is taken.
 */
public abstract class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final List<FieldError> errors;

    protected ProblemException(int status, String type, String detail, FieldError... errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.errors = errors.length == 0 ? null : List.of(errors);
    }

    /** The problem body, answered for the request at {@code instance}. */
    public Problem problem(String instance) {
        return Problem.of(status, type, getMessage(), instance, errors);
    }

    /** Headers of the answer besides the body's. */
    public Map<String, String> headers() {
        return Map.of();
    }
}

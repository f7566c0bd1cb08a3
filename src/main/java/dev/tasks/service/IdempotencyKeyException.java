package dev.tasks.service;

/**
 * An {@code Idempotency-Key} that cannot be honoured, and why; each reason has its status (draft
 * "The Idempotency-Key HTTP Header Field", "Error Scenarios"). An invalid key is an
 * {@link InvalidParameterException}: 400.
 */
public class IdempotencyKeyException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The key's first request cannot be answered yet: 409, retry. */
        IN_FLIGHT(409, "urn:tasks:problem:idempotency-key-in-flight"),
        /** The key created a task whose creation is no longer in the audit trail: 410, use a new key. */
        GONE(410, "urn:tasks:problem:idempotency-key-gone"),
        /** The key was used for a different request: 422. */
        REUSED(422, "urn:tasks:problem:idempotency-key-reused");

        private final int status;
        private final String type;

        Reason(int status, String type) {
            this.status = status;
            this.type = type;
        }
    }

    public IdempotencyKeyException(Reason reason, String message) {
        super(reason.status, reason.type, message);
    }
}

package dev.tasks.service;

/**
 * An {@code Idempotency-Key} that cannot be honoured, and why; each reason has its status (draft
 * "The Idempotency-Key HTTP Header Field", "Error Scenarios").
 */
public class IdempotencyKeyException extends RuntimeException {

    public enum Reason {
        /** Not a valid key: 400. */
        INVALID(400),
        /** The key's first request cannot be answered yet: 409, retry. */
        IN_FLIGHT(409),
        /** The key created a task whose creation is no longer in the audit trail: 410, use a new key. */
        GONE(410),
        /** The key was used for a different request: 422. */
        REUSED(422);

        public final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;

    public IdempotencyKeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

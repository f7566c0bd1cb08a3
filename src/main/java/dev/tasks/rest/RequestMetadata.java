package dev.tasks.rest;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;

import dev.tasks.service.WriteContext;

/**
 * Per-request identity for the audit trail: the request id (taken from {@code X-Request-Id} when it is
 * a sane value, otherwise generated; decided by {@link HttpEdge}) and the actor (the principal of the
 * bearer token {@link Authentication} verified, otherwise {@code anonymous}). Filled by {@link RequestFilters}
 * and {@link Authentication}.
 */
@RequestScoped
public class RequestMetadata {

    public static final String HEADER = "X-Request-Id";
    public static final String ANONYMOUS = "anonymous";

    // Printable ASCII without spaces or quotes, short enough for a log line.
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private String requestId;
    private String actor = ANONYMOUS;

    /** The client's id when it is sane, else a new UUID. */
    static String requestId(String headerValue) {
        return headerValue != null && SANE_ID.matcher(headerValue).matches() ? headerValue : UUID.randomUUID().toString();
    }

    void init(String requestId) {
        this.requestId = requestId;
    }

    void authenticated(String principal) {
        if (principal != null && !principal.isBlank()) {
            actor = principal;
        }
    }

    public String requestId() {
        return requestId;
    }

    public WriteContext writeContext() {
        return new WriteContext(actor, requestId);
    }
}

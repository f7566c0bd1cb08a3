package dev.tasks.service;

/**
 * Who makes a write and on behalf of which request; recorded by the audit trigger.
 *
 * @param actor     the authenticated principal, or {@code anonymous}
 * @param requestId the request id echoed to the client
 */
public record WriteContext(String actor, String requestId) {
}

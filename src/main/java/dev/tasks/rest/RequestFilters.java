package dev.tasks.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Lets clients of the JSON family through content negotiation, and marks negotiated answers with {@code Vary}. */
public class RequestFilters {

    /**
     * A client that accepts only {@code application/problem+json} (or another {@code +json} type) still
     * gets its answer: JSON is what this service has (RFC 9110 lets a server disregard Accept), and its
     * errors are problem details anyway. Only a client that accepts no JSON at all gets a 406.
     */
    @ServerRequestFilter(preMatching = true)
    public void acceptJsonFamily(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        try {
            if (accept != null && accept.contains("json") && request.getAcceptableMediaTypes().stream()
                    .noneMatch(type -> type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
                request.getHeaders().putSingle(HttpHeaders.ACCEPT, accept + ", " + MediaType.APPLICATION_JSON + ";q=0.01");
            }
        } catch (IllegalArgumentException malformed) {
            // Left to the framework's own negotiation.
        }
    }

    /** Whether a body can be sent (or a 406 given) depends on Accept: shared caches must know. */
    @ServerResponseFilter
    public void vary(ContainerResponseContext response) {
        if (response.getStatus() != 204) {
            response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        }
    }
}

package dev.tasks.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.ext.web.RoutingContext;

/** Hands each request's id and actor to the resources, and marks negotiated answers with {@code Vary}. */
public class RequestFilters {

    private final RequestMetadata metadata;

    public RequestFilters(RequestMetadata metadata) {
        this.metadata = metadata;
    }

    @ServerRequestFilter(preMatching = true)
    public void identify(ContainerRequestContext request, RoutingContext context) {
        String requestId = context.get(HttpEdge.REQUEST_ID);
        metadata.init(requestId != null ? requestId : RequestMetadata.requestId(request.getHeaderString(RequestMetadata.HEADER)),
                request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal());
    }

    /** Whether a body can be sent (or a 406 given) depends on Accept: shared caches must know. */
    @ServerResponseFilter
    public void vary(ContainerResponseContext response) {
        if (response.getStatus() != 204) {
            response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        }
    }
}

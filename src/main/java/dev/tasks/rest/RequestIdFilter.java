package dev.tasks.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Decides each request's id and actor before any resource runs, and echoes the id in the response. */
public class RequestIdFilter {

    private final RequestMetadata metadata;

    public RequestIdFilter(RequestMetadata metadata) {
        this.metadata = metadata;
    }

    @ServerRequestFilter(preMatching = true)
    public void assignRequestId(ContainerRequestContext request) {
        metadata.init(request.getHeaderString(RequestMetadata.HEADER),
                request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal());
    }

    @ServerResponseFilter
    public void echoRequestId(ContainerResponseContext response) {
        if (metadata.requestId() != null) {
            response.getHeaders().putSingle(RequestMetadata.HEADER, metadata.requestId());
        }
    }
}

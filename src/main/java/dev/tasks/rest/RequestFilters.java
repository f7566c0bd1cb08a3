package dev.tasks.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * What JAX-RS checks and adjusts around every resource call: content negotiation lets clients of the JSON
 * family through and marks negotiated answers with {@code Vary}; a request body must say what it is (415
 * without a Content-Type, rather than being taken for JSON) and must be strict UTF-8 (400: Jackson would
 * otherwise accept overlong forms, code points above U+10FFFF, and UTF-16 or UTF-32 text). The body is
 * already in memory, bounded by the HTTP body limit.
 */
@Provider
public class RequestFilters implements ReaderInterceptor {

    /** The detail of the 400 for a body that is not UTF-8; {@link ProblemMappers} passes it on. */
    static final String NOT_UTF8 = "The request body is not valid UTF-8.";

    private static final String ACCEPT_PATCH = "Accept-Patch";

    /** Reads bodies within the HTTP body limit. */
    @Inject
    HttpEdge edge;

    /**
     * {@code OPTIONS} on a path no route serves: Quarkus REST answers every path under a resource class's
     * prefix with the class's methods ({@code OPTIONS /tasks/abc} got 200), where {@code GET} says 404.
     */
    @ServerRequestFilter(preMatching = true)
    public void optionsOnlyWhereARouteIs(ContainerRequestContext request) {
        if ("OPTIONS".equals(request.getMethod()) && ProblemMappers.allowedMethods().isEmpty()) {
            throw new NotFoundException();
        }
    }

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

    /**
     * Whether a body can be sent (or a 406 given) depends on Accept: shared caches must know. And an
     * answer to a read may be kept but not reused unchecked: tasks change at any time, and a cache may
     * otherwise serve an answer with {@code Last-Modified} (or a 404) for a tenth of its age without
     * asking (RFC 9111, section 4.2.2). Revalidating a task costs a 304 with its ETag.
     */
    @ServerResponseFilter
    public void vary(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 204) {
            response.getHeaders().add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        }
        String method = request.getMethod();
        // Quarkus REST answers OPTIONS with every method of the resource class; a 405 lists those of the
        // path. OPTIONS now says the same.
        if ("OPTIONS".equals(method) && response.getStatus() == 200) {
            Set<String> allowed = ProblemMappers.allowedMethods();
            if (!allowed.isEmpty()) {
                response.getHeaders().putSingle(HttpHeaders.ALLOW, String.join(", ", allowed));
            }
        }
        // The patch format a task takes, where PATCH is allowed (OPTIONS, 405) or was refused for its
        // format (415), as RFC 5789 (sections 2.2 and 3.1) asks.
        if (response.getAllowedMethods().contains("PATCH") || ("PATCH".equals(method) && response.getStatus() == 415)) {
            response.getHeaders().putSingle(ACCEPT_PATCH, TaskResource.MERGE_PATCH);
        }
        if (("GET".equals(method) || "HEAD".equals(method))
                && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
    }

    @ServerRequestFilter
    public void requireContentType(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean hasBody = length != null ? !"0".equals(length.strip()) : request.getHeaderString("Transfer-Encoding") != null;
        if (!hasBody) {
            return;
        }
        // A body says what it is, not a range of what it might be: application/* or */* matches every route.
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String essence = type == null ? null : type.split(";", 2)[0].strip();
        if (essence == null || essence.startsWith("*/") || essence.endsWith("/*")) {
            throw new NotSupportedException();
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = edge.readBounded(context.getInputStream());
        // An HTTP/2 body of unknown length is seen only now: it too must say what it is.
        if (body.length > 0 && context.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE) == null) {
            throw new NotSupportedException();
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new BadRequestException(NOT_UTF8);
        }
        // UTF-16 and UTF-32 of ASCII text are valid UTF-8 byte by byte (with zero bytes), and Jackson, as
        // RFC 4627 had it, reads a body with a zero byte among its first four as one of them. RFC 8259
        // asks for UTF-8 only, and a zero byte never starts a UTF-8 JSON text.
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                throw new BadRequestException(NOT_UTF8);
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}

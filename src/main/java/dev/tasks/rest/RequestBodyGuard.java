package dev.tasks.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks on request bodies before Jackson reads them: a body must say what it is (415 without a
 * Content-Type, rather than being taken for JSON) and must be strict UTF-8 (400: Jackson would
 * otherwise accept overlong forms and code points above U+10FFFF). The body is already in memory,
 * bounded by the HTTP body limit.
 */
@Provider
public class RequestBodyGuard implements ReaderInterceptor {

    /** The detail of the 400 for a body that is not UTF-8; {@link ProblemMappers} passes it on. */
    static final String NOT_UTF8 = "The request body is not valid UTF-8.";

    @ServerRequestFilter
    public void requireContentType(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean hasBody = length != null ? !"0".equals(length.strip()) : request.getHeaderString("Transfer-Encoding") != null;
        if (hasBody && request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            throw new NotSupportedException();
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = context.getInputStream().readAllBytes();
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new BadRequestException(NOT_UTF8);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}

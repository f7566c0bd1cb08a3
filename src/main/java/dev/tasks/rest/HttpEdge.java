package dev.tasks.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tasks.mapping.Problem;
import dev.tasks.service.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.MultiMap;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What every application request goes through before JAX-RS: its request id is decided and put on the
 * response (so that answers Vert.x gives, such as a 413, carry it too), and a request body over
 * {@code quarkus.http.limits.max-body-size} is refused with a 413 problem (Quarkus itself answers 413
 * with an empty body). Requests without a body are left alone.
 */
@Singleton
public class HttpEdge {

    /** The request id, for the audit trail: the client's {@code X-Request-Id} when sane, else a new UUID. */
    static final String REQUEST_ID = "dev.tasks.request-id";
    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    // Printable ASCII without spaces or quotes, short enough for a log line.
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
    private static final List<CharSequence> CONDITIONS = List.of(HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH,
            HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.createOptimized("If-Unmodified-Since"));
    private static final String NOT_AN_AUTHORITY = "The Host header is not a host and port.";
    /** Oversize bodies up to this size are read and dropped before the 413; larger ones are cut off. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final long limit;
    private final BodyHandler unknownLength;

    public HttpEdge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.limit = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.unknownLength = BodyHandler.create(false).setBodyLimit(limit);
    }

    void install(@Observes Router router) {
        // Just before Quarkus's own upload-limit handler, which would answer 413 with no body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::guard);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).failureHandler(this::clientError);
    }

    /**
     * A new version 4 UUID drawn from {@link ThreadLocalRandom}: a request id must be unique, not secret
     * (a client may choose its own), and {@link UUID#randomUUID()}'s shared {@code SecureRandom} showed
     * in the profiles of every route.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /** The request's id, for the audit context and the answer. */
    private static void tag(RoutingContext context, String requestId) {
        context.put(REQUEST_ID, requestId);
        context.response().putHeader(REQUEST_ID_HEADER, requestId);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        String requestId = request.getHeader(REQUEST_ID_HEADER);
        if (requestId == null || !SANE_ID.matcher(requestId).matches()) {
            requestId = newRequestId();
        }
        tag(context, requestId);
        String refusal = framingError(request);
        if (refusal != null) {
            answer(context, 400, refusal, true);
            return;
        }
        joinRepeatedConditions(request.headers());
        oneSpaceAfterBearer(request.headers());

        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (mayStreamBody(request)) {
                // A body of unknown length: buffered up to the limit; past it, BodyHandler fails the
                // request with 413 and clientError answers. JAX-RS then reads the buffer (useBufferedBody).
                unknownLength.handle(context);
            } else {
                context.next();
            }
            return;
        }
        long announced;
        try {
            announced = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            answer(context, 400, "Content-Length is not a number.", true);
            return;
        }
        if (announced > limit && announced <= DRAIN_LIMIT) {
            // Read and drop the body before answering: closing while the client is still sending can
            // reset the connection before the client reads the 413.
            request.exceptionHandler(ignored -> request.connection().close());
            request.handler(ignored -> {
            });
            request.endHandler(ended -> answer(context, 413, tooLarge(), true));
            request.resume();
        } else if (announced > limit) {
            answer(context, 413, tooLarge(), true);
        } else {
            context.next();
        }
    }

    /**
     * What RFC 9112 asks a server to refuse with 400 that Vert.x lets through: a {@code Host} that is empty,
     * not an authority ({@code [zz]}) or sent twice (section 3.2), and over HTTP/1.1 a transfer coding
     * whose last coding is not {@code chunked}, so that the body's end cannot be found (section 6.3). The
     * request goes no further: a {@code Location} or a problem's instance is built from the host. Null
     * when the request is framed well.
     */
    static String framingError(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            return "The request has more than one Host header.";
        }
        String host = hosts.isEmpty() ? request.host() : hosts.get(0);
        if (host != null && !isAuthority(host)) {
            return NOT_AN_AUTHORITY;
        }
        String coding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (coding != null && request.version() != HttpVersion.HTTP_2) {
            String[] codings = coding.split(",");
            if (!"chunked".equalsIgnoreCase(codings[codings.length - 1].strip())) {
                return "The last transfer coding is not chunked, so the end of the body cannot be found.";
            }
        }
        return null;
    }

    /** A host, optionally with a port, as an http URI's authority has it, without user information. */
    static boolean isAuthority(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (isPlainHostAndPort(host)) {
            return true;
        }
        try {
            URI uri = new URI("http://" + host + "/");
            return uri.getHost() != null && uri.getRawUserInfo() == null && uri.getPort() <= 65_535
                    && host.equals(uri.getRawAuthority());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The usual case, checked without parsing a URI on every request: a name or IPv4 address of letters,
     * digits, dots and hyphens, then optionally a colon and one to five digits.
     */
    private static boolean isPlainHostAndPort(String host) {
        int colon = host.indexOf(':');
        int end = colon < 0 ? host.length() : colon;
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        if (colon < 0) {
            return true;
        }
        int digits = host.length() - colon - 1;
        if (digits < 1 || digits > 5) {
            return false;
        }
        for (int i = colon + 1; i < host.length(); i++) {
            if (host.charAt(i) < '0' || host.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code Authorization: Bearer} followed by more than one space, which RFC 6750 (section 2.1, {@code 1*SP})
     * allows and the token parser does not: made one space.
     */
    private static void oneSpaceAfterBearer(MultiMap headers) {
        String authorization = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.length() > 8 && authorization.regionMatches(true, 0, "Bearer  ", 0, 8)) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + authorization.substring(7).stripLeading());
        }
    }

    /**
     * A condition sent on several lines is one comma-separated list (RFC 9110, section 5.3), but JAX-RS hands a
     * {@code String} parameter the first line only: {@code If-None-Match: "1"} and {@code If-None-Match: "7"}
     * on two lines would refuse version 1 alone and let a write to version 7 through. So the lines are joined
     * into one before JAX-RS reads them. Two dates joined are no date, and ignored, as RFC 9110 asks of an
     * {@code If-Unmodified-Since} or {@code If-Modified-Since} that is not one.
     */
    private static void joinRepeatedConditions(MultiMap headers) {
        for (CharSequence name : CONDITIONS) {
            if (headers.contains(name)) {
                List<String> lines = headers.getAll(name);
                if (lines.size() > 1) {
                    headers.set(name, String.join(", ", lines));
                }
            }
        }
    }

    /**
     * A chunked HTTP/1.1 body. An HTTP/2 body of unknown length is left to Quarkus REST, which reads it under
     * the same limit: buffered here, the request would have ended before Quarkus REST pauses it, and
     * pausing an ended HTTP/2 request fails with "Request has already been read" (quarkusio/quarkus#34393).
     */
    private static boolean mayStreamBody(HttpServerRequest request) {
        return request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * Hands JAX-RS the body {@link #guard} buffered: Quarkus REST would otherwise try to read the
     * already consumed request again once the body is larger than its input buffer. An HTTP/2 body of
     * unknown length is read by Quarkus REST, which past the limit would close the whole connection
     * without an answer: the limit is left to {@link #readBounded} instead, which answers 413.
     */
    @ServerRequestFilter(preMatching = true)
    public void useBufferedBody(ContainerRequestContext request, RoutingContext context) {
        RequestBody body = context.body();
        if (body.available() && body.buffer() != null) {
            request.setEntityStream(new ByteArrayInputStream(body.buffer().getBytes()));
        } else if (context.request().version() == HttpVersion.HTTP_2
                && context.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            context.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
        }
    }

    /**
     * The request body, read to its end, or a 413 once it is over the limit. Bodies of known length and
     * chunked ones are already within it; an HTTP/2 body of unknown length is checked here as it is read.
     */
    byte[] readBounded(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > limit) {
            throw new BodyTooLargeException(tooLarge());
        }
        return bytes;
    }

    /**
     * A client error a Vert.x handler signalled with a bare status, or Vert.x Web with its own exception (an
     * HTTP/1.1 request without {@code Host}, refused before any route ran, so without a request id yet);
     * other exceptions stay the framework's.
     */
    private void clientError(RoutingContext context) {
        int status = context.statusCode();
        Throwable failure = context.failure();
        if (status < 400 || status > 499 || (failure != null && !(failure instanceof VertxException))) {
            context.next();
            return;
        }
        if (context.get(REQUEST_ID) == null) {
            tag(context, newRequestId());
        }
        if (status == 413) {
            answer(context, 413, tooLarge(), true);
        } else if (status == 400 && failure != null && failure.getMessage() != null && failure.getMessage().contains("Host")
                && hasHost(context.request())) {
            // Vert.x says the Host header "is required" when it has one it cannot read (a:99999, user@a).
            answer(context, 400, NOT_AN_AUTHORITY, false);
        } else if (failure != null && failure.getMessage() != null) {
            answer(context, status, failure.getMessage(), false);
        } else {
            answer(context, status, Problem.of(status, null, null, null, null).title() + ".", false);
        }
    }

    private static boolean hasHost(HttpServerRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null && !host.isBlank();
    }

    private void answer(RoutingContext context, int status, String detail, boolean unreadBody) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // Too late for a body of our own; make sure the client is not left waiting.
            context.request().connection().close();
            return;
        }
        Problem problem = Problem.of(status, Problem.ABOUT_BLANK, detail, context.request().path(), null);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        HttpMethod method = context.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            // As every other answer to a read (RequestFilters).
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        }
        if (unreadBody && context.request().version() != HttpVersion.HTTP_2) {
            // The rest of the body was not read: the connection cannot carry another request.
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(done -> context.request().connection().close());
        }
        response.end(Json.encodeToBuffer(problem));
    }

    private String tooLarge() {
        return "The request body is larger than the limit of " + limit + " bytes.";
    }

    /** 413 for a body found over the limit while JAX-RS reads it. */
    static final class BodyTooLargeException extends ProblemException {

        private static final long serialVersionUID = 1L;

        BodyTooLargeException(String detail) {
            super(413, Problem.ABOUT_BLANK, detail);
        }
    }
}

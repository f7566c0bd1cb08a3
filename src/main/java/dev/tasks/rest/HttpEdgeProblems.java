package dev.tasks.rest;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tasks.mapping.Problem;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Problem details for the errors that Vert.x, not JAX-RS, decides, so that they leave in the same
 * {@code application/problem+json} shape as the {@link ProblemMappers}:
 * <ul>
 * <li>request bodies over {@code quarkus.http.limits.max-body-size}: 413, whether the client announced the
 * size with {@code Content-Length} or streams it chunked (Quarkus itself answers 413 with an empty body);</li>
 * <li>methods other than GET and HEAD on the management endpoints under the non-application root
 * ({@code /q/health}, {@code /q/metrics}, {@code /q/openapi}, ...): 405 with {@code Allow};</li>
 * <li>any other client error a Vert.x handler signals with a bare status code.</li>
 * </ul>
 */
@Singleton
public class HttpEdgeProblems {

    static final String ABOUT_BLANK = "about:blank";
    private static final String MANAGEMENT_ALLOW = "GET, HEAD";
    /** Oversize bodies up to this size are read and dropped before the 413; larger ones are cut off. */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final Optional<MemorySize> maxBodySize;
    private final String managementPrefix;
    private final BodyHandler streamedBodies;

    public HttpEdgeProblems(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
            @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath,
            @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String nonApplicationRoot) {
        this.maxBodySize = maxBodySize;
        this.managementPrefix = managementPrefix(rootPath, nonApplicationRoot);
        this.streamedBodies = maxBodySize.map(size -> BodyHandler.create(false).setBodyLimit(size.asLongValue()))
                .orElse(null);
    }

    void install(@Observes Router router) {
        // Runs just before Quarkus's own upload-limit handler, which would answer 413 with no body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::guard);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).failureHandler(this::statusFailure);
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (managementPrefix != null && request.path().startsWith(managementPrefix)
                && request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            context.response().putHeader(HttpHeaders.ALLOW, MANAGEMENT_ALLOW);
            answer(context, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "This endpoint answers only " + MANAGEMENT_ALLOW + ".", false);
            return;
        }
        if (maxBodySize.isEmpty()) {
            context.next();
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                answer(context, HttpResponseStatus.BAD_REQUEST, "Content-Length is not a number.", true);
                return;
            }
            if (announced > limit && announced <= DRAIN_LIMIT) {
                // Read and drop the body before answering: closing while the client is still sending
                // can reset the connection before the client reads the 413.
                request.exceptionHandler(ignored -> request.connection().close());
                request.handler(ignored -> {
                });
                request.endHandler(ended -> answer(context, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(limit), true));
                request.resume();
                return;
            }
            if (announced > limit) {
                answer(context, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(limit), true);
                return;
            }
            context.next();
            return;
        }
        if (request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // A body of unknown length: buffer it up to the limit; past it, BodyHandler fails the
            // request with 413 and statusFailure answers. JAX-RS then reads the buffered body.
            streamedBodies.handle(context);
            return;
        }
        context.next();
    }

    /**
     * Hands JAX-RS the body {@link #guard} buffered: Quarkus REST would otherwise try to read the
     * already consumed request again once the body is larger than its input buffer.
     */
    @ServerRequestFilter(preMatching = true)
    public void useBufferedBody(ContainerRequestContext request, RoutingContext context) {
        RequestBody body = context.body();
        if (body.available() && body.buffer() != null) {
            request.setEntityStream(new ByteArrayInputStream(body.buffer().getBytes()));
        }
    }

    private void statusFailure(RoutingContext context) {
        int status = context.statusCode();
        // A thrown exception is a bug or a 5xx: leave it to the framework's error handler.
        if (context.failure() != null || status < 400 || status > 499) {
            context.next();
            return;
        }
        HttpResponseStatus reason = HttpResponseStatus.valueOf(status);
        if (status == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            answer(context, reason, tooLarge(maxBodySize.map(MemorySize::asLongValue).orElse(-1L)), true);
        } else {
            answer(context, reason, reason.reasonPhrase() + ".", false);
        }
    }

    private void answer(RoutingContext context, HttpResponseStatus status, String detail, boolean close) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            // Too late for a body of our own; make sure the client is not left waiting.
            context.request().connection().close();
            return;
        }
        // The members of dev.tasks.mapping.Problem, written with Vert.x's JsonObject: no reflection involved.
        Buffer body = new JsonObject()
                .put("type", ABOUT_BLANK)
                .put("title", status.reasonPhrase())
                .put("status", status.code())
                .put("detail", detail)
                .put("instance", context.request().path())
                .toBuffer();
        response.setStatusCode(status.code()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close && context.request().version() != HttpVersion.HTTP_2) {
            // The rest of the body was not read: the connection cannot carry another request.
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(done -> context.request().connection().close());
        }
        response.end(body);
    }

    private static String tooLarge(long limit) {
        return limit < 0 ? "The request body is too large."
                : "The request body is larger than the limit of " + limit + " bytes.";
    }

    /** "/q/" for the defaults; null when the management endpoints share the application's root. */
    static String managementPrefix(String rootPath, String nonApplicationRoot) {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            // Dev UI lives there too and speaks other methods.
            return null;
        }
        String root = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        String prefix = nonApplicationRoot.startsWith("/") ? nonApplicationRoot : root + nonApplicationRoot;
        if (!prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return prefix.equals(root) || prefix.equals("/") ? null : prefix;
    }
}

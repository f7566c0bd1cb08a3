package dev.tasks.rest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper.RequestMatch;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.tasks.mapping.Problem;
import dev.tasks.mapping.Problem.FieldError;
import dev.tasks.service.ProblemException;
import io.quarkus.logging.Log;

/**
 * Turns the exceptions a request can end in into RFC 9457 problem details. Each mapper handles one
 * known kind of failure; anything else is a bug, logged, and answered with a 500 problem (the framework's
 * own 500 is plain JSON with a {@code stack} field).
 */
public class ProblemMappers {

    /** Jackson's message for a field named twice (JacksonConfig refuses such bodies). */
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.{1,100})'");

    /**
     * Whatever no other mapper knows: a bug, logged with its stack trace, and answered as a 500 problem that
     * shows neither. The more specific mappers (these, the database's, the security layer's) win over it.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        return failedUnexpectedly(e, uri);
    }

    static RestResponse<Problem> failedUnexpectedly(Throwable e, UriInfo uri) {
        Log.errorf(e, "Unexpected failure of %s", path(uri));
        return problem(500, Problem.ABOUT_BLANK, "The request failed unexpectedly.", uri, null);
    }

    /** The refusals of the service and of the resources: each exception carries its whole answer. */
    @ServerExceptionMapper
    public RestResponse<Problem> refused(ProblemException e, UriInfo uri) {
        return problem(e.problem(path(uri)), e.headers());
    }

    /**
     * Framework answers: unknown route 404, wrong method 405 (with the {@code Allow} header RFC 9110 asks
     * for, which Quarkus REST leaves out), 406, 415, unreadable parameters.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> http(WebApplicationException e, UriInfo uri) {
        // The JSON reader reports some parse failures (a truncated body) wrapped in a plain 400.
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable, uri);
        }
        // A parameter converter's refusal (QueryIntegers), which JAX-RS wraps in a 404 for query parameters.
        if (e.getCause() instanceof ProblemException refusal) {
            return refused(refusal, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            case 400 -> RequestFilters.NOT_UTF8.equals(e.getMessage()) ? RequestFilters.NOT_UTF8
                    : "The request could not be read.";
            case 404 -> "No resource at this path.";
            case 405 -> "This resource does not accept that method.";
            case 406 -> "This resource cannot answer in any of the accepted media types.";
            case 415 -> "This resource does not accept that content type.";
            default -> status.getReasonPhrase() + ".";
        };
        RestResponse.ResponseBuilder<Problem> builder = RestResponse.ResponseBuilder
                .fromResponse(problem(status.getStatusCode(), Problem.ABOUT_BLANK, detail, uri, null));
        // Keep the headers the framework set.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        if (e instanceof NotAllowedException && !e.getResponse().getHeaders().containsKey(HttpHeaders.ALLOW)) {
            Set<String> allowed = allowedMethods();
            if (!allowed.isEmpty()) {
                builder.header(HttpHeaders.ALLOW, String.join(", ", allowed));
            }
        }
        return builder.build();
    }

    /**
     * The methods the JAX-RS routes accept for the current request's path, sorted; empty when no route
     * matches it at all. Quarkus REST decides 405 with these routing tables but does not say which
     * methods would have worked, so this asks them again.
     */
    static Set<String> allowedMethods() {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        Set<String> methods = new TreeSet<>();
        if (context == null) {
            return methods;
        }
        String path = context.getPathWithoutPrefix();
        RequestMapper<InitialMatch> classes = new RequestMapper<>(context.getDeployment().getClassMappers());
        // Several resource classes can share a prefix: take the first one with a method for this path,
        // as the router does.
        for (RequestMatch<InitialMatch> match = classes.map(path); match != null && methods.isEmpty();
                match = classes.continueMatching(path, match)) {
            String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    routing.getMappers().forEach((method, mapper) -> {
                        if (method != null && mapper.map(remaining) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        if (!methods.isEmpty()) {
            // Quarkus REST answers OPTIONS on every route it serves.
            methods.add("OPTIONS");
        }
        return methods;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(field(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(err -> err.field() + " " + err.message())
                .collect(Collectors.joining("; "));
        return problem(400, Problem.VALIDATION_TYPE, detail, uri, errors);
    }

    /**
     * Bodies that are not valid JSON, or JSON of the wrong shape (named too, since quarkus-rest-jackson
     * brings a mapper of its own for it): never echo the parser's message.
     */
    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class })
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() && !notJson(e)) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String message;
            if (e instanceof UnrecognizedPropertyException) {
                message = "is not a field of this resource";
            } else if (e instanceof InvalidNullException) {
                message = "must not be null";
            } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                message = "must be " + describe(mismatch.getTargetType());
            } else {
                message = "has an invalid value";
            }
            return problem(400, Problem.VALIDATION_TYPE, field + " " + message, uri,
                    List.of(new FieldError(field, message)));
        }
        String repeated = repeatedField(e);
        if (repeated != null) {
            String message = "is named more than once";
            return problem(400, Problem.VALIDATION_TYPE, repeated + " " + message, uri,
                    List.of(new FieldError(repeated, message)));
        }
        return problem(400, Problem.VALIDATION_TYPE,
                "The request body is not a JSON object of the expected shape.", uri, null);
    }

    /**
     * Whether the body is not JSON at all (cut short, a bad token). Jackson reports the field it was
     * reading when the text broke off, but the fault is the body's, not that field's value.
     */
    private static boolean notJson(Throwable e) {
        return parseError(e) != null;
    }

    private static JsonParseException parseError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException parse) {
                return parse;
            }
        }
        return null;
    }

    /**
     * The field a body names twice, which the parser refuses (JacksonConfig). Jackson has no exception
     * type of its own for it, only this message, so a changed wording falls back to the generic answer
     * (and TaskResourceTest's case of it fails).
     */
    private static String repeatedField(Throwable e) {
        JsonParseException parse = parseError(e);
        if (parse == null || parse.getOriginalMessage() == null) {
            return null;
        }
        Matcher duplicate = DUPLICATE_FIELD.matcher(parse.getOriginalMessage());
        return duplicate.matches() ? duplicate.group(1) : null;
    }

    /** Every problem answer of the JAX-RS side is made here. */
    static RestResponse<Problem> problem(Problem body, Map<String, String> headers) {
        RestResponse.ResponseBuilder<Problem> answer = RestResponse.ResponseBuilder.<Problem> create(body.status())
                .entity(body).type(Problem.MEDIA_TYPE);
        headers.forEach(answer::header);
        return answer.build();
    }

    static RestResponse<Problem> problem(int status, String type, String detail, UriInfo uri, List<FieldError> errors) {
        return problem(Problem.of(status, type, detail, path(uri), errors), Map.of());
    }

    static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    private static String field(ConstraintViolation<?> violation) {
        // "create.body.title" -> "title"; "list.size" -> "size"
        String last = null;
        String previous = null;
        for (Path.Node node : violation.getPropertyPath()) {
            previous = last;
            last = node.getName();
        }
        return last != null ? last : previous;
    }

    private static String describe(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a JSON object";
    }
}

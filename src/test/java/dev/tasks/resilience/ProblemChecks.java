package dev.tasks.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tasks.resilience.ServiceClient.Answer;

/** Checks on the bodies of error answers, shared by the resilience tests. */
final class ProblemChecks {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> PROBLEM_FIELDS = Set.of("type", "title", "status", "detail", "instance", "errors");
    // Words that only a leaked exception, stack trace or SQL text would put in a body.
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "at org.", "at java.",
            "SELECT ", "INSERT ", "UPDATE ", "select ", "insert ", "update tasks", "PgException", "SQLState");

    private ProblemChecks() {
    }

    /** A 503 problem+json with Retry-After, the request path as instance and nothing leaked. */
    static void assertUnavailable(Answer answer, String path) {
        assertEquals(503, answer.status(), () -> "status of " + describe(answer));
        JsonNode problem = assertProblem(answer);
        assertEquals("urn:tasks:problem:database-unavailable", problem.path("type").asText());
        assertEquals("Service Unavailable", problem.path("title").asText());
        assertEquals(path, problem.path("instance").asText(), () -> "instance of " + describe(answer));
        assertNotNull(answer.retryAfter(), () -> "Retry-After on " + describe(answer));
        assertTrue(answer.retryAfter().matches("[1-9]\\d*"), () -> "Retry-After in seconds: " + answer.retryAfter());
    }

    /** An application/problem+json body whose status matches the answer's, with only RFC 9457 fields. */
    static JsonNode assertProblem(Answer answer) {
        assertNotNull(answer.contentType(), () -> "content type of " + describe(answer));
        assertTrue(answer.contentType().startsWith("application/problem+json"),
                () -> "problem+json expected: " + describe(answer));
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("body is not JSON: " + describe(answer), e);
        }
        assertTrue(problem.isObject(), () -> "body is an object: " + describe(answer));
        assertEquals(answer.status(), problem.path("status").asInt(), () -> "status field of " + describe(answer));
        assertFalse(problem.path("title").asText().isBlank(), () -> "title of " + describe(answer));
        assertFalse(problem.path("detail").asText().isBlank(), () -> "detail of " + describe(answer));
        Set<String> fields = new HashSet<>();
        problem.fieldNames().forEachRemaining(fields::add);
        assertTrue(PROBLEM_FIELDS.containsAll(fields), () -> "unexpected fields in " + describe(answer));
        for (String leak : LEAKS) {
            assertFalse(answer.body().contains(leak), () -> "body leaks internals (" + leak + "): " + describe(answer));
        }
        return problem;
    }

    static String describe(Answer answer) {
        if (!answer.answered()) {
            return "no answer after " + answer.millis() + " ms: " + answer.failure();
        }
        String body = answer.body() == null ? "" : answer.body();
        return answer.status() + " " + answer.contentType() + " after " + answer.millis() + " ms: "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}

package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.tasks.db.Sql;
import dev.tasks.support.JwtKeys;
import dev.tasks.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * With {@code tasks.auth.writes=jwt}: every write route refuses a request without a valid bearer token
 * (none, forged, expired, another issuer's, not a JWT) with a 401 problem and a Bearer challenge, and
 * the database is left exactly as it was; a valid token's principal is the actor the audit trail, the
 * history and the change feed show; reads need no token.
 */
@QuarkusTest
@TestProfile(AuthenticatedWritesTest.JwtOnWrites.class)
class AuthenticatedWritesTest {

    public static class JwtOnWrites implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwtKeys.class));
        }
    }

    @Inject
    Sql sql;

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    long createAs(String token, String title) {
        return as(token).contentType(ContentType.JSON).body(Map.of("title", title))
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** Everything a write could touch, as plain SQL sees it. */
    Map<String, Object> databaseState() {
        return sql.row("""
                SELECT (SELECT count(*) FROM tasks) AS tasks,
                       (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM tasks t) AS task_rows,
                       (SELECT count(*) FROM audit_log) AS audit_entries,
                       (SELECT coalesce(max(id), 0) FROM audit_log) AS last_audit_id""");
    }

    /** Each write route, sent with the given Authorization header value (or none) to an existing task. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no token", null, false),
                Arguments.of("forged signature", "forged", true),
                Arguments.of("expired", "expired", true),
                Arguments.of("another issuer", "issuer", true),
                Arguments.of("not a JWT", "garbage", true));
    }

    static String header(String kind) {
        return switch (kind) {
            case "forged" -> "Bearer " + Tokens.forged("mallory");
            case "expired" -> "Bearer " + Tokens.expired("alice");
            case "issuer" -> "Bearer " + Tokens.otherIssuer("alice");
            case "garbage" -> "Bearer not-a-jwt";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void everyWriteWithoutAValidTokenIs401AndChangesNothing(String label, String kind, boolean tokenSent) {
        long id = createAs(Tokens.upn("owner@example.com"), "guarded " + label);
        Map<String, Object> before = databaseState();
        String challenge = tokenSent ? "Bearer realm=\"tasks\", error=\"invalid_token\"" : "Bearer realm=\"tasks\"";
        String body = "{\"title\":\"taken over\",\"done\":true}";
        List<Response> answers = List.of(
                request(kind).contentType(ContentType.JSON).body(body).post("/tasks"),
                request(kind).contentType(ContentType.JSON).body(body).put("/tasks/" + id),
                request(kind).contentType(ContentType.JSON).body(body).post("/tasks/" + id),
                request(kind).contentType(TaskResource.MERGE_PATCH).body("{\"done\":true}").patch("/tasks/" + id),
                request(kind).delete("/tasks/" + id));
        for (Response answer : answers) {
            answer.then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", challenge)
                    .body("type", equalTo(Authentication.TYPE))
                    .body("status", equalTo(401));
        }
        assertEquals(before, databaseState());
        assertEquals("guarded " + label, sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
    }

    private static RequestSpecification request(String kind) {
        RequestSpecification request = given();
        return kind == null ? request : request.header("Authorization", header(kind));
    }

    /** The feed's cursor after every change committed so far. */
    static String feedEnd() {
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            var request = given().queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            JsonPath changes = request.get("/tasks/changes").then().statusCode(200).extract().jsonPath();
            cursor = changes.getString("next");
            if (!changes.getBoolean("hasMore")) {
                return cursor;
            }
        }
        throw new AssertionError("the feed did not end");
    }

    /** The feed's actors of one task's changes after a cursor, read until its delete shows (or 30 s pass). */
    static List<String> feedActors(String cursor, long id) throws InterruptedException {
        List<String> actors = new ArrayList<>();
        List<String> operations = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!operations.contains("DELETE") && System.nanoTime() < deadline) {
            JsonPath page = given().queryParam("after", cursor).queryParam("limit", 1000).get("/tasks/changes")
                    .then().statusCode(200).extract().jsonPath();
            for (Map<String, Object> item : page.<Map<String, Object>> getList("items")) {
                if (((Number) item.get("taskId")).longValue() == id) {
                    actors.add((String) item.get("actor"));
                    operations.add((String) item.get("operation"));
                }
            }
            cursor = page.getString("next");
            if (!page.getBoolean("hasMore")) {
                Thread.sleep(50);
            }
        }
        return actors;
    }

    @Test
    void theTokensPrincipalIsTheActorInTheAuditTrailTheHistoryAndTheFeed() throws InterruptedException {
        String cursor = feedEnd();
        long id = createAs(Tokens.upn("alice@example.com"), "whose is it");
        // Without upn the principal is the subject.
        as(Tokens.subjectOnly("service-account-7")).contentType(TaskResource.MERGE_PATCH).body("{\"done\":true}")
                .when().patch("/tasks/" + id).then().statusCode(200).body("done", equalTo(true));
        as(Tokens.upn("bob@example.com")).when().delete("/tasks/" + id).then().statusCode(204);

        List<String> expected = List.of("alice@example.com", "service-account-7", "bob@example.com");
        assertEquals(expected, sql.rows("SELECT actor FROM audit_log WHERE table_name = 'tasks' AND row_id = ? ORDER BY id",
                String.valueOf(id)).stream().map(row -> (String) row.get("actor")).toList());

        JsonPath history = given().get("/tasks/" + id + "/history").then().statusCode(200).extract().jsonPath();
        assertEquals(expected, history.getList("items.actor", String.class));
        assertEquals(List.of("INSERT", "UPDATE", "DELETE"), history.getList("items.operation", String.class));

        assertEquals(expected, feedActors(cursor, id));
    }

    @Test
    void readsNeedNoTokenAndIgnoreABadOne() {
        long id = createAs(Tokens.upn("carol@example.com"), "open to read");
        given().get("/tasks/" + id).then().statusCode(200).body("title", equalTo("open to read"));
        given().get("/tasks?size=1").then().statusCode(200);
        given().get("/tasks/" + id + "/history").then().statusCode(200).body("items[0].actor", equalTo("carol@example.com"));
        given().get("/tasks/changes").then().statusCode(200);
        given().header("Authorization", "Bearer " + Tokens.forged("mallory")).get("/tasks/" + id).then().statusCode(200);
    }

    /** RFC 6750 allows one or more spaces between the scheme and the token. */
    @Test
    void moreThanOneSpaceAfterBearerIsAccepted() {
        given().header("Authorization", "Bearer   " + Tokens.upn("spaced@example.com")).contentType(ContentType.JSON)
                .body(Map.of("title", "spaced")).when().post("/tasks").then().statusCode(201);
    }

    @Test
    void aTokenFromTheDocumentedScriptIsAccepted() {
        String token = Tokens.fromScript("--issuer", JwtKeys.ISSUER, "--upn", "dave@example.com");
        long id = createAs(token, "minted with openssl");
        assertEquals("dave@example.com", sql.value(
                "SELECT actor FROM audit_log WHERE table_name = 'tasks' AND row_id = ? AND operation = 'INSERT'",
                String.class, String.valueOf(id)));
        // The script's --ttl makes expired tokens too, and --sub tokens whose principal is the subject.
        given().header("Authorization", "Bearer " + Tokens.fromScript("--issuer", JwtKeys.ISSUER, "--upn", "dave",
                "--ttl", "-3600")).contentType(ContentType.JSON).body(Map.of("title", "late")).post("/tasks")
                .then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"tasks\", error=\"invalid_token\"");
        as(Tokens.fromScript("--issuer", JwtKeys.ISSUER, "--sub", "job-42")).contentType(TaskResource.MERGE_PATCH)
                .body("{\"done\":true}").patch("/tasks/" + id).then().statusCode(200);
        given().get("/tasks/" + id + "/history").then().statusCode(200).body("items[1].actor", equalTo("job-42"));
    }
}

package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * ETag, Last-Modified, If-Match and If-None-Match, and the date forms If-Unmodified-Since and
 * If-Modified-Since, built on the version the database keeps.
 */
@QuarkusTest
class ConditionalRequestTest {

    @Inject
    Sql sql;

    @TestHTTPResource("/tasks")
    URI tasksUri;

    private long create(String title) {
        return given().contentType(ContentType.JSON).body("{\"title\":\"" + title + "\"}")
                .when().post("/tasks").then().statusCode(201)
                .header("ETag", matchesPattern("\"\\d+\""))
                .header("Last-Modified", matchesPattern("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|"
                        + "Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"))
                .extract().jsonPath().getLong("id");
    }

    private String etag(long id) {
        return given().when().get("/tasks/{id}", id).then().statusCode(200).extract().header("ETag");
    }

    private long auditCount(long id) {
        return sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = ?",
                Long.class, Long.toString(id));
    }

    /** Last-Modified is the row's updated_at to the second, as an HTTP date any client reads back. */
    @Test
    void lastModifiedIsTheStoredTimeAsAnHttpDate() {
        long id = create("dated");
        var answer = given().when().get("/tasks/{id}", id).then().statusCode(200).extract();
        OffsetDateTime updated = OffsetDateTime.parse(answer.jsonPath().getString("updatedAt"));
        ZonedDateTime header = ZonedDateTime.parse(answer.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME);
        assertEquals(updated.truncatedTo(ChronoUnit.SECONDS).toInstant(), header.toInstant());
        assertEquals(ZoneOffset.UTC, header.getOffset());
    }

    @Test
    void etagFollowsTheDatabaseVersionAndIgnoresNoOpWrites() {
        long id = create("versioned");
        String first = etag(id);
        given().contentType(ContentType.JSON).body("{\"title\":\"versioned\"}")
                .when().put("/tasks/{id}", id).then().statusCode(200).header("ETag", first);
        String second = given().contentType(ContentType.JSON).body("{\"title\":\"versioned 2\"}")
                .when().put("/tasks/{id}", id).then().statusCode(200).extract().header("ETag");
        assertNotEquals(first, second);
        assertEquals(second, etag(id));
        // A write from another program moves the version too.
        sql.update("UPDATE tasks SET done = true WHERE id = ?", id);
        assertNotEquals(second, etag(id));
    }

    @Test
    void ifNoneMatchAnswers304ForTheCurrentTagAnd200Otherwise() {
        long id = create("cached");
        String tag = etag(id);
        given().header("If-None-Match", tag).when().get("/tasks/{id}", id)
                .then().statusCode(304).header("ETag", tag);
        given().header("If-None-Match", "W/" + tag).when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-None-Match", "\"1\", " + tag).when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-None-Match", "*").when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-None-Match", "\"1\"").when().get("/tasks/{id}", id)
                .then().statusCode(200).body("title", equalTo("cached"));
    }

    @Test
    void everyWriteRouteRefusesAStaleTagWith412AndChangesNothing() {
        long id = create("guarded");
        String stale = etag(id);
        String current = given().contentType(ContentType.JSON).body("{\"title\":\"guarded 2\"}")
                .when().put("/tasks/{id}", id).then().statusCode(200).extract().header("ETag");
        long entries = auditCount(id);

        given().contentType(ContentType.JSON).header("If-Match", stale).body("{\"title\":\"lost\"}")
                .when().put("/tasks/{id}", id)
                .then().statusCode(412).contentType("application/problem+json")
                .body("status", equalTo(412)).body("instance", equalTo("/tasks/" + id));
        given().contentType(ContentType.JSON).header("If-Match", stale).body("{\"title\":\"lost\"}")
                .when().post("/tasks/{id}", id).then().statusCode(412).contentType("application/problem+json");
        given().contentType("application/merge-patch+json").header("If-Match", stale).body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(412).contentType("application/problem+json");
        given().header("If-Match", stale).when().delete("/tasks/{id}", id)
                .then().statusCode(412).contentType("application/problem+json");
        given().header("If-Match", "\"bogus\"").when().delete("/tasks/{id}", id).then().statusCode(412);
        given().header("If-Match", "W/" + current).when().delete("/tasks/{id}", id).then().statusCode(412);
        // Tags compare character by character: a leading zero makes another tag, not the same version.
        given().header("If-Match", "\"0" + current.substring(1)).when().delete("/tasks/{id}", id).then().statusCode(412);

        assertEquals("guarded 2", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
        assertEquals(false, sql.value("SELECT done FROM tasks WHERE id = ?", Boolean.class, id));
        assertEquals(entries, auditCount(id));

        String patched = given().contentType("application/merge-patch+json").header("If-Match", current)
                .body("{\"done\":true}").when().patch("/tasks/{id}", id)
                .then().statusCode(200).body("done", equalTo(true)).extract().header("ETag");
        given().contentType(ContentType.JSON).header("If-Match", "\"1\", " + patched).body("{\"title\":\"posted\"}")
                .when().post("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("posted"));
        given().header("If-Match", "*").when().delete("/tasks/{id}", id).then().statusCode(204);
    }

    /** Last-Modified of the task now, and the same instant in RFC 850's and asctime's forms. */
    private ZonedDateTime lastModified(long id) {
        return ZonedDateTime.parse(given().when().get("/tasks/{id}", id).then().statusCode(200).extract()
                .header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    private static String httpDate(ZonedDateTime time) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(time);
    }

    @Test
    void ifModifiedSinceAnswers304UnlessTheTaskChangedAfterThatSecond() {
        long id = create("dated read");
        ZonedDateTime modified = lastModified(id);
        String tag = etag(id);
        given().header("If-Modified-Since", httpDate(modified)).when().get("/tasks/{id}", id)
                .then().statusCode(304).header("ETag", tag);
        // The two obsolete forms every recipient must read (RFC 9110, section 5.6.7).
        given().header("If-Modified-Since", DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
                Locale.US).format(modified)).when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-Modified-Since", DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
                Locale.ROOT).format(modified)).when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-Modified-Since", httpDate(modified.minusSeconds(1))).when().get("/tasks/{id}", id)
                .then().statusCode(200).body("title", equalTo("dated read"));
        // Not a date, or one in the future: ignored. With If-None-Match: only the tag counts.
        given().header("If-Modified-Since", "yesterday").when().get("/tasks/{id}", id).then().statusCode(200);
        given().header("If-Modified-Since", httpDate(modified.plusYears(10))).when().get("/tasks/{id}", id)
                .then().statusCode(200);
        given().header("If-None-Match", "\"1\"").header("If-Modified-Since", httpDate(modified))
                .when().get("/tasks/{id}", id).then().statusCode(200);
    }

    @Test
    void ifUnmodifiedSinceRefusesEveryWriteAfterThatSecondAndChangesNothing() {
        long id = create("dated write");
        ZonedDateTime modified = lastModified(id);
        String before = httpDate(modified.minusSeconds(1));
        long entries = auditCount(id);

        given().contentType(ContentType.JSON).header("If-Unmodified-Since", before).body("{\"title\":\"lost\"}")
                .when().put("/tasks/{id}", id).then().statusCode(412).contentType("application/problem+json")
                .body("detail", equalTo("Task " + id + " has changed since the date in If-Unmodified-Since; fetch it again."));
        given().contentType(ContentType.JSON).header("If-Unmodified-Since", before).body("{\"title\":\"lost\"}")
                .when().post("/tasks/{id}", id).then().statusCode(412);
        given().contentType("application/merge-patch+json").header("If-Unmodified-Since", before).body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(412);
        given().header("If-Unmodified-Since", before).when().delete("/tasks/{id}", id).then().statusCode(412);
        assertEquals("dated write", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
        assertEquals(false, sql.value("SELECT done FROM tasks WHERE id = ?", Boolean.class, id));
        assertEquals(entries, auditCount(id));

        // At the date of Last-Modified the write goes through; with If-Match, only the tag counts.
        given().contentType("application/merge-patch+json").header("If-Unmodified-Since", httpDate(modified))
                .body("{\"done\":true}").when().patch("/tasks/{id}", id).then().statusCode(200).body("done", equalTo(true));
        given().contentType("application/merge-patch+json").header("If-Match", etag(id))
                .header("If-Unmodified-Since", before).body("{\"title\":\"tagged\"}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("tagged"));
        // Not a date: ignored, the write is unconditional.
        given().contentType(ContentType.JSON).header("If-Unmodified-Since", "garbage").body("{\"title\":\"free\"}")
                .when().put("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("free"));
        given().contentType(ContentType.JSON).header("If-Unmodified-Since", before).body("{\"title\":\"x\"}")
                .when().put("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404);
    }

    /**
     * Dates and tags at the edges of what can be written: the first and last HTTP dates there are, a tag
     * past the year 9999, and values that are not HTTP dates at all (a numeric offset, a time zone name,
     * an over-long value), which are ignored as RFC 9110 asks. None of them is a 500.
     */
    @Test
    void datesAndTagsAtTheEdgesAreAnsweredAsTheRfcSays() {
        long id = create("edges");
        String tag = etag(id);
        given().contentType(ContentType.JSON).header("If-Match", "\"999999999999999999\"").body("{\"title\":\"lost\"}")
                .when().put("/tasks/{id}", id).then().statusCode(412).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("If-Unmodified-Since", "Sat, 01 Jan 0000 00:00:00 GMT")
                .body("{\"title\":\"lost\"}").when().put("/tasks/{id}", id).then().statusCode(412);
        given().header("If-Match", "\"999999999999999999\"").when().get("/tasks/{id}", id).then().statusCode(412);
        assertEquals(tag, etag(id));

        given().contentType("application/merge-patch+json").header("If-None-Match", "\"999999999999999999\"")
                .header("If-Unmodified-Since", "Fri, 31 Dec 9999 23:59:59 GMT").body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).body("done", equalTo(true));
        String later = etag(id);
        for (String notADate : List.of(httpDate(lastModified(id).minusDays(1)).replace("GMT", "+0900"),
                "Sat, 21 Nov 2026 09:05:05 GMT; length=12345678901234567890123456789012345")) {
            // Ignored: a read is not 304, a write is unconditional.
            given().header("If-Modified-Since", notADate).when().get("/tasks/{id}", id).then().statusCode(200);
            given().header("If-Unmodified-Since", notADate).when().get("/tasks/{id}", id).then().statusCode(200);
            later = given().contentType("application/merge-patch+json").header("If-Unmodified-Since", notADate)
                    .body("{\"title\":\"free\"}").when().patch("/tasks/{id}", id).then().statusCode(200)
                    .extract().header("ETag");
        }
        // The obsolete forms are dates: 1994 is before the task, so no 304, and the write is refused.
        given().header("If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT").when().get("/tasks/{id}", id)
                .then().statusCode(200).header("ETag", later);
        given().contentType("application/merge-patch+json").header("If-Unmodified-Since", "Sun Nov  6 08:49:37 1994")
                .body("{\"done\":false}").when().patch("/tasks/{id}", id).then().statusCode(412);
    }

    /**
     * The date is checked against the row as PostgreSQL holds it when the write runs: a change by another
     * program, in a later second, makes a date read before it stale.
     */
    @Test
    void ifUnmodifiedSinceSeesAChangeMadeWithPlainSql() throws InterruptedException {
        long id = create("shared row");
        ZonedDateTime modified = lastModified(id);
        // Into the next second, so the other program's change has a later Last-Modified.
        long wait = 1000 - (System.currentTimeMillis() % 1000) + 20;
        Thread.sleep(wait);
        sql.update("UPDATE tasks SET title = 'changed elsewhere' WHERE id = ?", id);
        given().header("If-Unmodified-Since", httpDate(modified)).when().delete("/tasks/{id}", id)
                .then().statusCode(412).contentType("application/problem+json");
        assertEquals("changed elsewhere", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
    }

    /**
     * On a write, If-None-Match refuses the versions it names (weak tags too) and, with {@code *}, any
     * existing task (RFC 9110, section 13.1.2): 412, and nothing written.
     */
    @Test
    void ifNoneMatchRefusesTheVersionsItNamesOnEveryWrite() {
        long id = create("not that one");
        String tag = etag(id);
        String weak = "W/" + tag;
        long entries = auditCount(id);
        String refusal = "Task " + id + " is in a version that If-None-Match refuses; fetch it again.";

        given().contentType(ContentType.JSON).header("If-None-Match", tag).body("{\"title\":\"lost\"}")
                .when().put("/tasks/{id}", id).then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("urn:tasks:problem:stale-version")).body("detail", equalTo(refusal));
        given().contentType(ContentType.JSON).header("If-None-Match", "\"1\", " + weak).body("{\"title\":\"lost\"}")
                .when().post("/tasks/{id}", id).then().statusCode(412).body("detail", equalTo(refusal));
        given().contentType("application/merge-patch+json").header("If-None-Match", "*").body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(412).body("detail", equalTo(refusal));
        // If-Match holds, If-None-Match does not: both are checked, and the 412 names the one that failed.
        given().contentType("application/merge-patch+json").header("If-Match", tag).header("If-None-Match", tag)
                .body("{\"done\":true}").when().patch("/tasks/{id}", id).then().statusCode(412)
                .body("detail", equalTo(refusal));
        given().header("If-None-Match", weak).when().delete("/tasks/{id}", id).then().statusCode(412);
        given().header("If-None-Match", "*").when().delete("/tasks/{id}", id).then().statusCode(412);
        assertEquals("not that one", sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id));
        assertEquals(false, sql.value("SELECT done FROM tasks WHERE id = ?", Boolean.class, id));
        assertEquals(entries, auditCount(id));

        // Another version, or a tag this service never issued: the write goes through.
        String next = given().contentType(ContentType.JSON).header("If-None-Match", "\"1\", W/\"x\", \"0" + tag.substring(1))
                .body("{\"title\":\"renamed\"}").when().put("/tasks/{id}", id)
                .then().statusCode(200).body("title", equalTo("renamed")).extract().header("ETag");
        given().contentType("application/merge-patch+json").header("If-None-Match", tag).header("If-Match", next)
                .body("{\"done\":true}").when().patch("/tasks/{id}", id).then().statusCode(200).body("done", equalTo(true));
        // A missing task is a 404 whatever the precondition.
        given().header("If-None-Match", "*").when().delete("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404);
        given().header("If-None-Match", "*").when().delete("/tasks/{id}", id).then().statusCode(412);
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
    }

    /**
     * A list condition sent on several lines is one list (RFC 9110, section 5.3), and empty or malformed
     * elements are skipped (section 5.6.1.2): neither hides a tag the client named, so neither lets through
     * a write the client asked to refuse. Two date lines are no date, and ignored.
     */
    @Test
    void aConditionOnSeveralLinesOrWithEmptyElementsIsOneList() {
        long id = create("listed");
        String tag = etag(id);
        long entries = auditCount(id);
        given().contentType(ContentType.JSON).header("If-None-Match", "\"1\"").header("If-None-Match", tag)
                .body("{\"title\":\"lost\"}").when().put("/tasks/{id}", id).then().statusCode(412);
        given().contentType(ContentType.JSON).header("If-None-Match", "\"1\", , " + tag)
                .body("{\"title\":\"lost\"}").when().put("/tasks/{id}", id).then().statusCode(412);
        given().header("If-None-Match", ", \"1\"").header("If-None-Match", "not-a-tag, " + tag)
                .when().delete("/tasks/{id}", id).then().statusCode(412);
        assertEquals(entries, auditCount(id));
        given().header("If-None-Match", "\"1\"").header("If-None-Match", tag).when().get("/tasks/{id}", id)
                .then().statusCode(304);

        String next = given().contentType(ContentType.JSON).header("If-Match", "\"1\"").header("If-Match", tag)
                .body("{\"title\":\"kept\"}").when().put("/tasks/{id}", id)
                .then().statusCode(200).body("title", equalTo("kept")).extract().header("ETag");
        given().contentType("application/merge-patch+json").header("If-Match", ", , " + next).body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).body("done", equalTo(true));

        String epoch = "Thu, 01 Jan 1970 00:00:00 GMT";
        given().header("If-Unmodified-Since", epoch).when().delete("/tasks/{id}", id).then().statusCode(412);
        given().header("If-Unmodified-Since", epoch).header("If-Unmodified-Since", epoch)
                .when().delete("/tasks/{id}", id).then().statusCode(204);
    }

    /** If-None-Match is checked against the row as PostgreSQL holds it: another writer's change frees the write. */
    @Test
    void ifNoneMatchSeesAChangeMadeWithPlainSql() {
        long id = create("moving");
        String tag = etag(id);
        given().header("If-None-Match", tag).when().delete("/tasks/{id}", id).then().statusCode(412);
        sql.update("UPDATE tasks SET title = 'moved elsewhere' WHERE id = ?", id);
        given().header("If-None-Match", tag).when().delete("/tasks/{id}", id).then().statusCode(204);
        assertEquals(0L, sql.value("SELECT count(*) FROM tasks WHERE id = ?", Long.class, id));
    }

    /**
     * A read honours If-Match and If-Unmodified-Since too (RFC 9110, section 13.1.1): 412 when the task is
     * no longer in the version named, evaluated before If-None-Match.
     */
    @Test
    void aReadWithAStaleIfMatchIs412() throws InterruptedException {
        long id = create("read under If-Match");
        String old = etag(id);
        ZonedDateTime modified = lastModified(id);
        given().header("If-Match", old).when().get("/tasks/{id}", id).then().statusCode(200).header("ETag", old);
        given().header("If-Match", "*").when().get("/tasks/{id}", id).then().statusCode(200);
        given().header("If-Match", old).header("If-None-Match", old).when().get("/tasks/{id}", id).then().statusCode(304);
        given().header("If-Match", "W/" + old).when().get("/tasks/{id}", id).then().statusCode(412);

        // Into the next second, so that the date form sees the change as well.
        Thread.sleep(1000 - (System.currentTimeMillis() % 1000) + 20);
        sql.update("UPDATE tasks SET title = 'read again' WHERE id = ?", id);
        given().header("If-Match", old).when().get("/tasks/{id}", id).then().statusCode(412)
                .contentType("application/problem+json")
                .body("detail", equalTo("Task " + id + " has changed since the version named in If-Match; fetch it again."));
        given().header("If-Match", old).header("If-None-Match", old).when().get("/tasks/{id}", id).then().statusCode(412);
        given().header("If-Unmodified-Since", httpDate(modified)).when().get("/tasks/{id}", id).then().statusCode(412)
                .body("detail", equalTo("Task " + id + " has changed since the date in If-Unmodified-Since; fetch it again."));
        given().header("If-Match", etag(id)).header("If-Unmodified-Since", httpDate(modified))
                .when().get("/tasks/{id}", id).then().statusCode(200).body("title", equalTo("read again"));
        given().header("If-Match", old).when().get("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404);
    }

    /** Caches keep answers to reads but ask again before each reuse; with the ETag that is a 304. */
    @Test
    void answersToReadsAreRevalidatedBeforeEveryReuse() {
        long id = create("fresh");
        String tag = etag(id);
        given().when().get("/tasks/{id}", id).then().statusCode(200).header("Cache-Control", "no-cache");
        given().header("If-None-Match", tag).when().get("/tasks/{id}", id)
                .then().statusCode(304).header("Cache-Control", "no-cache");
        given().when().head("/tasks/{id}", id).then().statusCode(200).header("Cache-Control", "no-cache");
        given().when().get("/tasks?size=1").then().statusCode(200).header("Cache-Control", "no-cache");
        given().when().get("/tasks/{id}/history", id).then().statusCode(200).header("Cache-Control", "no-cache");
        given().when().get("/tasks/changes?limit=1").then().statusCode(200).header("Cache-Control", "no-cache");
        given().when().get("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404).header("Cache-Control", "no-cache");
        given().contentType("application/merge-patch+json").body("{\"done\":true}").when().patch("/tasks/{id}", id)
                .then().statusCode(200).header("Cache-Control", nullValue());
    }

    @Test
    void conditionalWritesToAMissingTaskAre404() {
        given().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"title\":\"x\"}")
                .when().put("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404).contentType("application/problem+json");
        given().header("If-Match", "*").when().delete("/tasks/{id}", Long.MAX_VALUE).then().statusCode(404);
    }

    @Test
    void thirtyTwoConcurrentPutsWithTheSameTagGiveExactlyOneWinner() throws Exception {
        long id = create("contended");
        String tag = etag(id);
        long entries = auditCount(id);
        int clients = 32;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                HttpRequest put = HttpRequest.newBuilder(URI.create(tasksUri + "/" + id))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("If-Match", tag)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"title\":\"writer " + i + "\"}"))
                        .build();
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        return -1;
                    }
                }, pool));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> answer : answers) {
                statuses.add(answer.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses::toString);
            assertEquals(clients - 1, statuses.stream().filter(s -> s == 412).count(), statuses::toString);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(entries + 1, auditCount(id), "exactly one audit entry for the one write that happened");
    }
}

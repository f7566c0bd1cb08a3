package dev.tasks.db;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.config.JacksonConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Per-field change times and the audit trail, written by triggers for every writer. */
@QuarkusTest
class AuditTrailTest {

    @Inject
    DataSource dataSource;

    @Inject
    Sql sql;

    private long auditCount(long id) {
        return sql.value("SELECT count(*) FROM audit_log WHERE table_name = 'tasks' AND row_id = ?", Long.class,
                Long.toString(id));
    }

    private Map<String, Object> fieldTimes(long id) {
        return sql.row("SELECT field_updated_at ->> 'title' AS title, field_updated_at ->> 'done' AS done, "
                + "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS updated "
                + "FROM tasks WHERE id = ?", id);
    }

    @Test
    void createUpdateAndDeleteThroughTheApiProduceTheirHistoryWithRequestIdAndActor() {
        long id = given().contentType(ContentType.JSON).header("X-Request-Id", "hist-create")
                .body("{\"title\":\"audited\"}")
                .when().post("/tasks").then().statusCode(201)
                .header("X-Request-Id", "hist-create").extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).header("X-Request-Id", "hist-update")
                .body("{\"title\":\"audited again\",\"done\":true}")
                .when().put("/tasks/{id}", id).then().statusCode(200);
        given().header("X-Request-Id", "hist-delete")
                .when().delete("/tasks/{id}", id).then().statusCode(204);

        JsonPath history = given().when().get("/tasks/{id}/history", id)
                .then().statusCode(200)
                .body("items.size()", equalTo(3))
                .body("hasNext", equalTo(false))
                .extract().jsonPath();
        assertEquals(List.of("INSERT", "UPDATE", "DELETE"), history.getList("items.operation"));
        assertEquals(List.of("hist-create", "hist-update", "hist-delete"), history.getList("items.requestId"));
        assertEquals(List.of("anonymous", "anonymous", "anonymous"), history.getList("items.actor"));
        assertEquals("audited", history.getString("items[0].changes.title.new"));
        assertNull(history.get("items[0].changes.title.old"));
        assertEquals("audited", history.getString("items[1].changes.title.old"));
        assertEquals("audited again", history.getString("items[1].changes.title.new"));
        assertEquals(false, history.getBoolean("items[1].changes.done.old"));
        assertEquals(true, history.getBoolean("items[1].changes.done.new"));
        assertEquals("audited again", history.getString("items[2].changes.title.old"));
        assertTrue(history.getList("items.txid").stream().distinct().count() == 3, "one transaction per request");
        // The entry time equals the transaction time the database recorded.
        assertEquals(JacksonConfig.format(sql.value("SELECT tx_time FROM audit_log WHERE id = ?",
                OffsetDateTime.class, history.getLong("items[1].id"))), history.getString("items[1].time"));
        assertEquals(3L, auditCount(id), "history survives the deletion");
    }

    @Test
    void historyIsPagedOldestFirst() {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('paged') RETURNING id", Long.class);
        for (int i = 1; i <= 4; i++) {
            sql.update("UPDATE tasks SET title = ? WHERE id = ?", "paged " + i, id);
        }
        JsonPath first = given().queryParam("size", 2).when().get("/tasks/{id}/history", id)
                .then().statusCode(200).body("hasNext", equalTo(true)).extract().jsonPath();
        JsonPath third = given().queryParam("size", 2).queryParam("page", 2).when().get("/tasks/{id}/history", id)
                .then().statusCode(200).body("hasNext", equalTo(false)).extract().jsonPath();
        assertEquals(List.of("INSERT", "UPDATE"), first.getList("items.operation"));
        assertEquals("paged 4", third.getString("items[0].changes.title.new"));
        assertTrue(first.getLong("items[0].id") < first.getLong("items[1].id"));
    }

    @Test
    void historyOfATaskThatNeverExistedIs404() {
        given().when().get("/tasks/{id}/history", Long.MAX_VALUE)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void insertStampsEveryFieldWithTheRowTime() {
        long id = given().contentType(ContentType.JSON).body("{\"title\":\"fields\"}")
                .when().post("/tasks").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        Map<String, Object> times = fieldTimes(id);
        assertEquals(times.get("updated"), times.get("title"));
        assertEquals(times.get("updated"), times.get("done"));
        given().when().get("/tasks/{id}", id).then().statusCode(200)
                .body("fieldUpdatedAt.title", equalTo(times.get("title")))
                .body("fieldUpdatedAt.done", equalTo(times.get("done")))
                .body("fieldUpdatedAt.size()", equalTo(2));
    }

    @Test
    void apiUpdateStampsOnlyTheFieldsThatChanged() {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('only done changes') RETURNING id", Long.class);
        String titleTime = (String) fieldTimes(id).get("title");
        JsonPath patched = given().contentType("application/merge-patch+json").body("{\"done\":true,\"title\":\"only done changes\"}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).extract().jsonPath();
        assertEquals(titleTime, patched.getString("fieldUpdatedAt.title"), "title written back unchanged keeps its time");
        assertEquals(patched.getString("updatedAt"), patched.getString("fieldUpdatedAt.done"));
        assertNotEquals(titleTime, patched.getString("fieldUpdatedAt.done"));
        assertEquals(fieldTimes(id).get("done"), patched.getString("fieldUpdatedAt.done"));
    }

    @Test
    void bulkSqlUpdateWritesOneAuditRowPerChangedRowInOneTransactionAndStampsOnlyChangedFields() {
        String tag = "bulk-audit-" + UUID.randomUUID();
        sql.update("INSERT INTO tasks (title, done) SELECT ? || '-' || g, g % 2 = 0 FROM generate_series(1, 500) g", tag);
        Map<String, Object> before = sql.row("SELECT min(field_updated_at ->> 'title') AS title_time "
                + "FROM tasks WHERE title LIKE ?", tag + "-%");
        long maxAuditBefore = sql.value("SELECT coalesce(max(id), 0) FROM audit_log", Long.class);

        // Half the rows are already done: those do not change and must leave no trace.
        assertEquals(500, sql.update("UPDATE tasks SET done = true WHERE title LIKE ?", tag + "-%"));

        Map<String, Object> audit = sql.row("SELECT count(*) AS n, count(DISTINCT txid) AS txids, "
                + "count(*) FILTER (WHERE jsonb_exists(changes, 'done') AND NOT jsonb_exists(changes, 'title')) AS done_only, "
                + "count(*) FILTER (WHERE actor IS NULL AND request_id IS NULL AND db_user = session_user) AS outside "
                + "FROM audit_log WHERE id > ? AND table_name = 'tasks' AND operation = 'UPDATE'", maxAuditBefore);
        assertEquals(250L, audit.get("n"));
        assertEquals(1L, audit.get("txids"));
        assertEquals(250L, audit.get("done_only"));
        assertEquals(250L, audit.get("outside"), "a write outside the service records only the database user");

        Map<String, Object> times = sql.row("SELECT count(*) FILTER (WHERE field_updated_at ->> 'done' = "
                + "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) AS done_is_row_time, "
                + "count(*) FILTER (WHERE field_updated_at ->> 'title' = ?) AS title_kept "
                + "FROM tasks WHERE title LIKE ?", before.get("title_time"), tag + "-%");
        assertEquals(500L, times.get("done_is_row_time"));
        assertEquals(500L, times.get("title_kept"), "title was not changed, its time stays");
    }

    @Test
    void noOpUpdateWritesNoAuditRowAndMovesNoTime() {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('static') RETURNING id", Long.class);
        Map<String, Object> times = fieldTimes(id);
        long entries = auditCount(id);
        sql.update("UPDATE tasks SET title = 'static', done = false WHERE id = ?", id);
        sql.update("UPDATE tasks SET field_updated_at = '{\"title\": \"2000-01-01T00:00:00.000000Z\"}' WHERE id = ?", id);
        given().contentType(ContentType.JSON).body("{\"title\":\"static\",\"done\":false}")
                .when().put("/tasks/{id}", id).then().statusCode(200);
        assertEquals(entries, auditCount(id));
        assertEquals(times, fieldTimes(id));
    }

    @Test
    void contextIsTransactionLocalAndNeverLeaksToTheNextTransactionOnTheSameConnection() throws Exception {
        long id = sql.value("INSERT INTO tasks (title) VALUES ('context') RETURNING id", Long.class);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT set_config('app.actor', 'alice', true), set_config('app.request_id', 'req-alice', true)");
            s.executeUpdate("UPDATE tasks SET title = 'context 1' WHERE id = " + id);
            c.commit();
            s.executeUpdate("UPDATE tasks SET title = 'context 2' WHERE id = " + id);
            c.commit();
        }
        List<Map<String, Object>> rows = sql.rows("SELECT actor, request_id FROM audit_log WHERE table_name = 'tasks' "
                + "AND row_id = ? AND operation = 'UPDATE' ORDER BY id", Long.toString(id));
        assertEquals(2, rows.size());
        assertEquals("alice", rows.get(0).get("actor"));
        assertEquals("req-alice", rows.get(0).get("request_id"));
        assertNull(rows.get(1).get("actor"));
        assertNull(rows.get(1).get("request_id"));
    }

    @Test
    void auditAndFieldTimesAttachToAnotherTableWithOneCallEach() {
        String table = "notes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            sql.update("CREATE TABLE " + table + " (note_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "field_updated_at jsonb NOT NULL DEFAULT '{}')");
            sql.update("SELECT enable_timestamps('" + table + "'), enable_field_times('" + table + "'), enable_audit('" + table + "')");
            long id = sql.value("INSERT INTO " + table + " (body) VALUES ('hello') RETURNING note_id", Long.class);
            sql.update("UPDATE " + table + " SET body = 'bye' WHERE note_id = ?", id);
            sql.update("UPDATE " + table + " SET body = 'bye' WHERE note_id = ?", id);
            sql.update("DELETE FROM " + table + " WHERE note_id = ?", id);

            List<Map<String, Object>> rows = sql.rows("SELECT operation, changes::text AS changes FROM audit_log "
                    + "WHERE table_name = ? AND row_id = ? ORDER BY id", table, Long.toString(id));
            assertEquals(List.of("INSERT", "UPDATE", "DELETE"), rows.stream().map(r -> r.get("operation")).toList());
            assertEquals("{\"body\": {\"new\": \"bye\", \"old\": \"hello\"}}", rows.get(1).get("changes"));
            assertEquals(List.of("tracking_notify", "tracking_refuse_truncate", "zz_10_timestamps", "zz_90_audit"),
                    sql.rows("SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal ORDER BY tgname",
                            table).stream().map(r -> r.get("tgname")).toList());
        } finally {
            sql.update("DROP TABLE IF EXISTS " + table);
            // The generated tracking functions do not go with the table.
            sql.update("DROP FUNCTION IF EXISTS " + table + "_tracking_before(), " + table + "_tracking_audit()");
        }
    }
}

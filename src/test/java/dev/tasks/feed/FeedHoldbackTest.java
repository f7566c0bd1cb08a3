package dev.tasks.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tasks.support.Management;
import dev.tasks.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The readiness data and the metric say what holds the change feed back: a transaction with an id, in
 * any database of the server; a read-only transaction holds nothing.
 */
@QuarkusTest
class FeedHoldbackTest {

    private static Map<String, Object> feedCheck() {
        JsonPath health = Management.management().when().get("/q/health/ready").then().extract().jsonPath();
        return health.getMap("checks.find { it.name == 'Change feed' }.data");
    }

    private static double metric() {
        String metrics = Management.management().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String line = metrics.lines().filter(l -> l.startsWith("tasks_feed_holdback_seconds")).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void aWriteTransactionInAnotherDatabaseHoldsTheFeedAndIsNamed() throws Exception {
        TestDatabase server = TestDatabase.fromConfig();
        try (Connection other = server.connect("postgres"); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("SET application_name = 'holdback-test'");
            s.executeQuery("SELECT pg_current_xact_id()").close();
            Thread.sleep(1200);
            Map<String, Object> data = feedCheck();
            assertEquals(true, data.get("held back"), data.toString());
            assertEquals("postgres", data.get("held in database"), data.toString());
            assertTrue(((Number) data.get("held for seconds")).doubleValue() >= 1.0, data.toString());
            assertTrue(String.valueOf(data.get("held by")).contains("holdback-test"), data.toString());
            assertTrue(metric() >= 1.0, "the gauge keeps the last probe's value");
            other.rollback();
        }
        Map<String, Object> after = feedCheck();
        assertEquals(false, after.get("held back"), after.toString());
        assertEquals(0.0, metric());
    }

    /**
     * An audit trail restored from a cluster further along holds transaction ids this one has not handed
     * out: new writes would sort before it and a consumer at its tail would never see them. Readiness goes
     * DOWN and says so, until the cluster's ids pass it (here: the entry is taken away again).
     */
    @Test
    void anAuditTrailAheadOfTheClusterIsNotReady() throws Exception {
        try (Connection owner = TestDatabase.fromConfig().connect(); Statement s = owner.createStatement()) {
            // As a restore loads it: the triggers of audit_log do not fire (a superuser's replica session).
            s.execute("SET session_replication_role = replica");
            s.execute("INSERT INTO audit_log (table_schema, table_name, row_id, operation, changes, txid, tx_time, "
                    + "statement_time, clock_time, db_user) VALUES (current_schema(), 'tasks', '-1', 'DELETE', '{}', "
                    + "(pg_current_xact_id()::text::numeric + 9000000000)::text::xid8, now(), now(), now(), 'restored')");
            try {
                JsonPath health = Management.management().when().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
                Map<String, Object> check = health.getMap("checks.find { it.name == 'Change feed' }");
                assertEquals("DOWN", check.get("status"), health.prettify());
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) check.get("data");
                assertEquals(true, data.get("audit trail ahead of this cluster"), data.toString());
                assertTrue(new java.math.BigInteger(String.valueOf(data.get("newest audit transaction")))
                        .compareTo(new java.math.BigInteger(String.valueOf(data.get("next transaction")))) > 0, data.toString());
            } finally {
                s.execute("DELETE FROM audit_log WHERE row_id = '-1' AND db_user = 'restored'");
            }
        }
        Management.management().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aReadOnlyTransactionHoldsNothing() throws Exception {
        try (Connection reader = TestDatabase.fromConfig().connect(); Statement s = reader.createStatement()) {
            reader.setAutoCommit(false);
            s.executeQuery("SELECT count(*) FROM tasks").close();
            Thread.sleep(500);
            Map<String, Object> data = feedCheck();
            assertEquals(false, data.get("held back"), data.toString());
            reader.rollback();
        }
    }
}

package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * audit_log partitioned by month (changeset 0012) and its retention, proven with plain SQL on databases of
 * their own: the conversion keeps rows, ids, the feed order, indexes and grants, its rollback gives back a
 * plain table with every row, retention drops whole old partitions and records the bound the service
 * answers 410 below, and a row whose month has no partition is still written.
 */
@QuarkusTest
class AuditRetentionTest {

    /**
     * The changesets from 0012 on (five of 0012, one of 0013, two of 0020, two of 0021, one of 0022) and the
     * recording after them.
     */
    static final String FEED_ORDER = "SELECT id FROM audit_log WHERE table_name = 'tasks' ORDER BY txid, id";
    static final String CONTENTS = "SELECT a.id, a::text AS r FROM audit_log a ORDER BY id";

    Scratch scratch = new Scratch();

    @AfterEach
    void dropDatabases() throws SQLException {
        scratch.close();
    }

    static void update(String url) throws Exception {
        Scratch.liquibase(url, null, new ClassLoaderResourceAccessor(), Map.of(),
                l -> l.update(new Contexts(), new LabelExpression()));
    }

    static void rollback(String url, int count) throws Exception {
        Scratch.liquibase(url, null, new ClassLoaderResourceAccessor(), Map.of(),
                l -> l.rollback(count, new Contexts(), new LabelExpression()));
    }

    /** How many changesets were applied from the first of 0012 (the partitioning) on: a rollback count. */
    static int partitioningAndLater(String url) throws SQLException {
        try (Connection c = Scratch.connect(url)) {
            List<Object> ids = column(c, "SELECT id FROM databasechangelog ORDER BY orderexecuted");
            int first = ids.indexOf(ids.stream().filter(id -> id.toString().startsWith("0012-")).findFirst().orElseThrow());
            return ids.size() - first;
        }
    }

    static Object value(Connection c, String sql, Object... params) throws SQLException {
        return Sql.rows(c, sql, params).get(0).values().iterator().next();
    }

    static List<Object> column(Connection c, String sql, Object... params) throws SQLException {
        return Sql.rows(c, sql, params).stream().map(r -> r.values().iterator().next()).toList();
    }

    /** Some history: inserts, updates and deletes of tasks through their triggers. */
    static void write(Connection c, int tasks) throws SQLException {
        c.createStatement().execute("INSERT INTO tasks (title) SELECT 'task ' || g FROM generate_series(1, " + tasks + ") g");
        c.createStatement().execute("UPDATE tasks SET done = true WHERE id % 2 = 0");
        c.createStatement().execute("DELETE FROM tasks WHERE id % 5 = 0");
    }

    static List<String> indexes(Connection c) throws SQLException {
        return column(c, "SELECT indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid) FROM pg_index "
                + "WHERE indrelid = 'audit_log'::regclass ORDER BY 1").stream().map(Object::toString).toList();
    }

    @Test
    void rollingThePartitioningBackAndForwardKeepsRowsIdsFeedOrderIndexesAndGrants() throws Exception {
        String url = scratch.database("part");
        Scratch.Role reader = scratch.role("reader");
        update(url);
        try (Connection c = Scratch.connect(url)) {
            c.createStatement().execute("GRANT SELECT ON audit_log TO " + reader.name());
            write(c, 30);
        }
        rollback(url, partitioningAndLater(url));
        List<Map<String, Object>> before;
        List<Object> feed;
        try (Connection c = Scratch.connect(url)) {
            assertEquals("r", value(c, "SELECT relkind::text FROM pg_class WHERE oid = 'audit_log'::regclass"),
                    "the rollback gives back a plain table");
            assertEquals(null, value(c, "SELECT to_regclass('audit_log_retained')::text"));
            assertEquals(List.of("audit_log_feed_idx CREATE INDEX audit_log_feed_idx ON public.audit_log USING btree (table_name, txid, id)",
                    "audit_log_pkey CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (id)",
                    "audit_log_row_idx CREATE INDEX audit_log_row_idx ON public.audit_log USING btree (table_name, row_id, id)",
                    "audit_log_tx_time_brin CREATE INDEX audit_log_tx_time_brin ON public.audit_log USING brin (tx_time)"),
                    indexes(c));
            // Written while partitioned, kept by the rollback: 30 inserts, 15 updates, 6 deletes.
            assertEquals(51L, value(c, "SELECT count(*) FROM audit_log"));
            // The plain table works as before: writes are audited and ids continue.
            FunctionRollbackTest.writesWork(url);
            assertEquals(54L, value(c, "SELECT max(id) FROM audit_log"));
            before = Sql.rows(c, CONTENTS);
            feed = column(c, FEED_ORDER);
        }

        // Forward again: a database with existing audit rows is converted.
        update(url);
        try (Connection c = Scratch.connect(url); Connection r = Scratch.connect(url, reader)) {
            assertEquals("p", value(c, "SELECT relkind::text FROM pg_class WHERE oid = 'audit_log'::regclass"));
            assertEquals(before, Sql.rows(c, CONTENTS), "every row kept with its id");
            assertEquals(feed, column(c, FEED_ORDER), "the feed order is unchanged");
            assertEquals(List.of("audit_log_feed_idx CREATE INDEX audit_log_feed_idx ON ONLY public.audit_log USING btree (table_name, txid, id)",
                    "audit_log_pkey CREATE UNIQUE INDEX audit_log_pkey ON ONLY public.audit_log USING btree (id, tx_time)",
                    "audit_log_row_idx CREATE INDEX audit_log_row_idx ON ONLY public.audit_log USING btree (table_name, row_id, id)",
                    "audit_log_tx_time_brin CREATE INDEX audit_log_tx_time_brin ON ONLY public.audit_log USING brin (tx_time)"),
                    indexes(c));
            assertEquals(51L + 3, value(r, "SELECT count(*) FROM audit_log"), "the grant to the reader is kept");
            // The identity continues; the generated trigger functions write into the partitioned table unchanged.
            FunctionRollbackTest.writesWork(url);
            assertEquals(List.of(55L, 56L, 57L), column(c, "SELECT id FROM audit_log WHERE id > 54 ORDER BY id"));
            assertEquals(List.of(), FunctionRollbackTest.drift(url), "readiness: no drift after the conversion");
            // The feed query is served by the feed index of each partition (audit_log_feed_idx's partitions), merged.
            String plan = column(c, "EXPLAIN SELECT id FROM audit_log WHERE table_name = 'tasks' AND (txid, id) > ('1'::xid8, 0) "
                    + "ORDER BY txid, id LIMIT 100").toString();
            assertTrue(plan.contains("Merge Append") && plan.contains("Index Only Scan using audit_log_default_table_name_txid_id_idx"), plan);
        }
    }

    @Test
    void retentionDropsWholeOldPartitionsDeletesOldDefaultRowsAndRecordsTheGreatestRemovedPosition() throws Exception {
        String url = scratch.database("keep");
        update(url);
        try (Connection c = Scratch.connect(url)) {
            write(c, 10);
            int created = Sql.rows(c, "SELECT * FROM audit_log_add_partitions(0, '2024-01-01')").size();
            assertTrue(created >= 30, "partitions of the past months created: " + created);
            // Entries of two years ago, in their month's partition, and one in the default partition (older
            // than any partition: its month's partition is dropped below without it).
            c.createStatement().execute("UPDATE audit_log SET tx_time = '2024-03-10Z' WHERE id IN (1, 2)");
            c.createStatement().execute("DROP TABLE audit_log_y2024m01");
            c.createStatement().execute("UPDATE audit_log SET tx_time = '2024-01-10Z' WHERE id = 3");
            assertEquals("audit_log_default", value(c, "SELECT tableoid::regclass::text FROM audit_log WHERE id = 3"));
            Map<String, Object> greatest = Sql.rows(c, "SELECT txid::text AS txid, id FROM audit_log WHERE id IN (1, 2, 3) "
                    + "ORDER BY txid DESC, id DESC LIMIT 1").get(0);
            long kept = (Long) value(c, "SELECT count(*) FROM audit_log WHERE id > 3");

            List<Map<String, Object>> steps = Sql.rows(c, "SELECT partition_name, action FROM audit_log_retain('400 days')");
            assertTrue(steps.contains(Map.of("partition_name", "audit_log_y2024m03", "action", "dropped")), steps::toString);
            assertTrue(steps.stream().anyMatch(s -> s.get("partition_name").equals("audit_log_default")
                    && s.get("action").toString().startsWith("deleted 1 rows before")), steps::toString);
            assertEquals(0L, value(c, "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'audit_log'::regclass AND p.relname LIKE 'audit_log_y%' AND p.relname < 'audit_log_y2025'"));
            assertEquals(List.of(), column(c, "SELECT id FROM audit_log WHERE id <= 3"));
            assertEquals(kept, value(c, "SELECT count(*) FROM audit_log"), "the entries of the kept months stay");
            Map<String, Object> bound = Sql.rows(c, "SELECT table_name, txid::text AS txid, id, "
                    + "removed_before = date_trunc('month', (now() - interval '400 days') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS cut "
                    + "FROM audit_log_retained").get(0);
            assertEquals(Map.of("table_name", "tasks", "txid", greatest.get("txid"), "id", greatest.get("id"), "cut", true), bound);
            // Partitions of the coming months exist.
            assertEquals(4L, value(c, "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'audit_log'::regclass AND p.relname >= to_char(now() AT TIME ZONE 'UTC', '\"audit_log_y\"YYYY\"m\"MM')"));
            // Run again, nothing more goes and the bound stays.
            assertEquals(kept, value(c, "SELECT count(*) FROM audit_log"));
            Sql.rows(c, "SELECT * FROM audit_log_retain('400 days')");
            assertEquals(greatest.get("id"), value(c, "SELECT id FROM audit_log_retained"));
        }
    }

    @Test
    void aWriteInAMonthWithoutPartitionSucceedsAndItsRowMovesIntoThePartitionCreatedLater() throws Exception {
        String url = scratch.database("nopart");
        update(url);
        try (Connection c = Scratch.connect(url)) {
            String current = (String) value(c, "SELECT to_char(now() AT TIME ZONE 'UTC', '\"audit_log_y\"YYYY\"m\"MM')");
            c.createStatement().execute("DROP TABLE " + current);
            long id = (Long) value(c, "INSERT INTO tasks (title) VALUES ('no partition yet') RETURNING id");
            Map<String, Object> entry = Sql.rows(c, "SELECT id, tableoid::regclass::text AS part FROM audit_log WHERE row_id = ?",
                    Long.toString(id)).get(0);
            assertEquals("audit_log_default", entry.get("part"), "the write landed in the default partition");

            assertEquals(List.of(current), column(c, "SELECT * FROM audit_log_add_partitions(0)"));
            assertEquals(List.of(Map.of("id", entry.get("id"), "part", current)),
                    Sql.rows(c, "SELECT id, tableoid::regclass::text AS part FROM audit_log WHERE row_id = ?", Long.toString(id)));
            assertEquals(0L, value(c, "SELECT count(*) FROM audit_log_default"));
            c.createStatement().execute("UPDATE tasks SET done = true WHERE id = " + id);
            assertEquals(List.of("INSERT", "UPDATE"), column(c, "SELECT operation FROM audit_log WHERE row_id = ? ORDER BY id",
                    Long.toString(id)));
        }
    }
}

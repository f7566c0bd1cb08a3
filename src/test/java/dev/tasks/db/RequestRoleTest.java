package dev.tasks.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The two roles as a deployment makes them: a database owned by an owner role (no superuser) that runs
 * the changelogs with the parameter request-role naming a second login, which then writes as the service
 * does, with plain SQL. That login can read and write tasks and read the audit trail, and nothing else the
 * tracking depends on: every attempt below fails with insufficient_privilege (42501) and changes nothing.
 */
@QuarkusTest
class RequestRoleTest {

    static final String DENIED = "42501";

    Scratch scratch;
    Scratch.Role owner;
    Scratch.Role request;
    String url;

    @BeforeEach
    void migrateAsTheOwnerWithARequestRole() throws Exception {
        scratch = new Scratch();
        owner = scratch.role("own");
        request = scratch.role("req");
        url = scratch.database("roles", owner);
        Scratch.update(url, owner, Map.of("request-role", request.name()));
    }

    @AfterEach
    void dropScratch() throws SQLException {
        scratch.close();
    }

    static void assertDenied(Connection c, String statement) {
        SQLException e = assertThrows(SQLException.class, () -> c.createStatement().execute(statement),
                () -> "allowed to the request role: " + statement);
        assertEquals(DENIED, e.getSQLState(), () -> statement + " failed otherwise: " + e.getMessage());
    }

    static long count(Connection c, String query) throws SQLException {
        return ((Number) Sql.rows(c, query).get(0).values().iterator().next()).longValue();
    }

    long insertTask(Connection c, String title) throws SQLException {
        return ((Number) Sql.rows(c, "INSERT INTO tasks (title) VALUES (?) RETURNING id", title).get(0).get("id")).longValue();
    }

    @Test
    void requestRoleWritesTasksAndTheirAuditRowsAreWrittenForIt() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            long id = insertTask(c, "first");
            c.createStatement().execute("UPDATE tasks SET title = 'second' WHERE id = " + id);
            c.createStatement().execute("DELETE FROM tasks WHERE id = " + id);
            List<Map<String, Object>> audit = Sql.rows(c,
                    "SELECT operation, db_user FROM audit_log WHERE row_id = ? ORDER BY id", Long.toString(id));
            assertEquals(List.of("INSERT", "UPDATE", "DELETE"), audit.stream().map(r -> r.get("operation")).toList());
            assertTrue(audit.stream().allMatch(r -> request.name().equals(r.get("db_user"))), audit::toString);
            // What readiness calls, with nothing drifted.
            assertEquals(0, count(c, "SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL"));
        }
    }

    @Test
    void requestRoleWritesIdempotencyKeysAndDrawsTaskIds() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            long id = count(c, "SELECT nextval(pg_get_serial_sequence('tasks', 'id'))");
            c.createStatement().execute("INSERT INTO idempotency_keys VALUES ('anonymous', 'k', '\\x00', " + id
                    + ", pg_current_xact_id(), now(), now() - interval '1 second')");
            c.createStatement().execute("UPDATE idempotency_keys SET expires_at = now() - interval '2 seconds'");
            c.createStatement().execute("DELETE FROM idempotency_keys WHERE expires_at <= now()");
            assertEquals(0, count(c, "SELECT count(*) FROM idempotency_keys"));
            assertDenied(c, "TRUNCATE idempotency_keys");
            assertDenied(c, "ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_key_length");
        }
    }

    @Test
    void requestRoleCannotWriteOrEraseTheAuditTrail() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            insertTask(c, "audited");
            long before = count(c, "SELECT count(*) FROM audit_log");
            assertTrue(before > 0);
            assertDenied(c, "INSERT INTO audit_log (table_name, row_id, operation, changes, txid, tx_time, statement_time, "
                    + "clock_time, db_user) VALUES ('tasks', '7001', 'DELETE', '{}', pg_current_xact_id(), now(), now(), now(), 'x')");
            assertDenied(c, "UPDATE audit_log SET row_id = '7001'");
            assertDenied(c, "DELETE FROM audit_log");
            assertDenied(c, "TRUNCATE audit_log");
            assertEquals(before, count(c, "SELECT count(*) FROM audit_log"));
        }
    }

    @Test
    void requestRoleCannotDisableDropOrAlterTheTrackingTriggersAndFunctions() throws SQLException {
        List<Map<String, Object>> triggers;
        try (Connection c = Scratch.connect(url, owner)) {
            triggers = Sql.rows(c, "SELECT tgname, tgfoid::regprocedure::text AS function FROM pg_trigger "
                    + "WHERE tgrelid = 'tasks'::regclass AND NOT tgisinternal");
        }
        assertTrue(triggers.size() >= 3, triggers::toString);
        try (Connection c = Scratch.connect(url, request)) {
            for (Map<String, Object> trigger : triggers) {
                assertDenied(c, "ALTER TABLE tasks DISABLE TRIGGER " + trigger.get("tgname"));
                assertDenied(c, "DROP TRIGGER " + trigger.get("tgname") + " ON tasks");
                assertDenied(c, "ALTER FUNCTION " + trigger.get("function") + " SECURITY INVOKER");
            }
            assertDenied(c, "ALTER TABLE tasks DISABLE TRIGGER ALL");
            assertDenied(c, "ALTER TABLE tasks DISABLE TRIGGER USER");
            // Recording is the owner's: whoever records can hide drift.
            assertDenied(c, "SELECT tracking_record()");
            // No CREATE on the schema (PostgreSQL 15 default), so no function or table of its own beside the tracking ones.
            assertDenied(c, "CREATE TABLE public.shadow (id int)");
            assertEquals(0, count(c, "SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL"));
        }
    }

    @Test
    void requestRoleCannotTruncateTasks() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            insertTask(c, "kept");
            assertDenied(c, "TRUNCATE tasks");
            assertEquals(1, count(c, "SELECT count(*) FROM tasks"));
        }
    }

    @Test
    void requestRoleCannotSwitchTriggersOffWithSessionReplicationRole() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            assertDenied(c, "SET session_replication_role = replica");
            assertDenied(c, "SELECT set_config('session_replication_role', 'replica', false)");
            assertEquals("origin", Sql.rows(c, "SHOW session_replication_role").get(0).values().iterator().next());
        }
    }

    /**
     * Only the columns the service writes: the id cannot move (the change would be filed under the new id,
     * and the old one never see its DELETE), and the time columns, which the triggers write, cannot be named.
     */
    @Test
    void requestRoleWritesOnlyTheColumnsTheServiceWrites() throws SQLException {
        try (Connection c = Scratch.connect(url, request)) {
            long id = insertTask(c, "narrow");
            long entries = count(c, "SELECT count(*) FROM audit_log WHERE row_id = '" + id + "'");
            assertDenied(c, "UPDATE tasks SET id = 900000 WHERE id = " + id);
            assertDenied(c, "UPDATE tasks SET created_at = '2001-01-01T00:00:00Z' WHERE id = " + id);
            assertDenied(c, "UPDATE tasks SET updated_at = '2001-01-01T00:00:00Z' WHERE id = " + id);
            assertDenied(c, "INSERT INTO tasks (title, created_at) VALUES ('forged', '2001-01-01T00:00:00Z')");
            assertEquals(1, count(c, "SELECT count(*) FROM tasks WHERE id = " + id));
            assertEquals(0, count(c, "SELECT count(*) FROM tasks WHERE id = 900000"));
            assertEquals(entries, count(c, "SELECT count(*) FROM audit_log WHERE row_id = '" + id + "'"));
            // What the service sends still works.
            c.createStatement().execute("UPDATE tasks SET title = 'wide', done = true WHERE id = " + id);
            assertEquals(1, count(c, "SELECT count(*) FROM tasks WHERE id = " + id + " AND done"));
        }
    }

    /**
     * tracking_check() runs as the owner and reads the record: the request role may call it (readiness
     * does), no other login may. Recording stays the owner's, also after its file is run again by hand.
     */
    @Test
    void onlyTheRequestRoleRunsTheCheckAndOnlyTheOwnerRecords() throws Exception {
        Scratch.Role other = scratch.role("oth");
        try (Connection c = Scratch.connect(url, other)) {
            assertDenied(c, "SELECT * FROM public.tracking_check()");
            assertDenied(c, "SELECT * FROM public.tracking_snapshot()");
            assertDenied(c, "SELECT public.tracking_record()");
        }
        String file = new String(getClass().getClassLoader().getResourceAsStream("db/functions/tracking_record.sql")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("${database.defaultSchemaName}", "public");
        try (Connection c = Scratch.connect(url, owner)) {
            c.createStatement().execute(file);
        }
        try (Connection c = Scratch.connect(url, request)) {
            assertEquals(0, count(c, "SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL"));
            assertDenied(c, "SELECT tracking_record()");
        }
    }

    @Test
    void rollingTheGrantsBackLeavesTheRequestRoleNothing() throws Exception {
        Scratch.liquibase(url, owner, new liquibase.resource.ClassLoaderResourceAccessor(),
                Map.of("request-role", request.name()), l -> {
                    // Back to before 0010: the record changeset, the 0011 changesets, then the grants.
                    int after = 0;
                    for (var changeSet : l.getDatabaseChangeLog().getChangeSets()) {
                        if (changeSet.getId().compareTo("0010") > 0) {
                            after++;
                        }
                    }
                    l.rollback(after, new liquibase.Contexts(), new liquibase.LabelExpression());
                });
        try (Connection c = Scratch.connect(url, request)) {
            Executable select = () -> c.createStatement().execute("SELECT count(*) FROM tasks");
            SQLException e = assertThrows(SQLException.class, select);
            assertEquals(DENIED, e.getSQLState());
            assertDenied(c, "SELECT nextval(pg_get_serial_sequence('tasks', 'id'))");
        }
    }

    /** Every privilege a role holds in the database: on relations, columns, functions and schemas. */
    static List<Object> privileges(Connection c, Scratch.Role role) throws SQLException {
        return Sql.rows(c, """
                SELECT 'relation ' || c.oid::regclass || ' ' || a.privilege_type AS p
                  FROM pg_class c, aclexplode(c.relacl) a WHERE a.grantee = to_regrole(?)
                UNION ALL
                SELECT 'column ' || t.attrelid::regclass || '.' || t.attname || ' ' || a.privilege_type
                  FROM pg_attribute t, aclexplode(t.attacl) a WHERE a.grantee = to_regrole(?)
                UNION ALL
                SELECT 'function ' || p.oid::regprocedure || ' ' || a.privilege_type
                  FROM pg_proc p, aclexplode(p.proacl) a WHERE a.grantee = to_regrole(?)
                UNION ALL
                SELECT 'schema ' || n.nspname || ' ' || a.privilege_type
                  FROM pg_namespace n, aclexplode(n.nspacl) a WHERE a.grantee = to_regrole(?)
                ORDER BY 1""", role.name(), role.name(), role.name(), role.name())
                .stream().map(row -> row.get("p")).toList();
    }

    /**
     * A deployment that moves the service to another login migrates with the new request-role: the new
     * login gets the grants, the old one keeps none of them, and with no request role left, neither does
     * the last one.
     */
    @Test
    void changingTheRequestRoleTakesEveryPrivilegeFromTheOldOne() throws Exception {
        Scratch.Role next = scratch.role("nxt");
        List<Object> granted;
        try (Connection c = Scratch.connect(url, owner)) {
            granted = privileges(c, request);
            assertTrue(granted.contains("relation tasks SELECT") && granted.contains("function tracking_check() EXECUTE"),
                    granted::toString);
        }
        Scratch.update(url, owner, Map.of("request-role", next.name()));
        try (Connection c = Scratch.connect(url, owner)) {
            assertEquals(List.of(), privileges(c, request));
            assertEquals(granted, privileges(c, next), "the new login has what the old one had");
            assertEquals(List.of(Map.of("role_name", next.name())), Sql.rows(c, "SELECT role_name FROM request_role_granted"));
        }
        try (Connection c = Scratch.connect(url, request)) {
            assertDenied(c, "SELECT count(*) FROM tasks");
            assertDenied(c, "INSERT INTO tasks (title) VALUES ('old login')");
        }
        try (Connection c = Scratch.connect(url, next)) {
            insertTask(c, "new login");
            assertEquals(0, count(c, "SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL"),
                    "the revokes are recorded, not drift");
        }
        Scratch.update(url, owner, Map.of());
        try (Connection c = Scratch.connect(url, owner)) {
            assertEquals(List.of(), privileges(c, next));
            assertEquals(0, count(c, "SELECT count(*) FROM request_role_granted"));
        }
    }

    @Test
    void withoutARequestRoleNothingIsGranted() throws Exception {
        String plain = scratch.database("plain", owner);
        Scratch.update(plain, owner, Map.of());
        try (Connection c = Scratch.connect(plain, request)) {
            assertDenied(c, "SELECT count(*) FROM tasks");
        }
    }
}

package dev.tasks.config;

import java.sql.SQLException;
import java.sql.Statement;

import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;

/**
 * Liquibase's lock service for PostgreSQL, safe for instances that start at the same moment on an empty
 * database. Liquibase 4.33 creates and reads its own tables before it takes DATABASECHANGELOGLOCK, so two
 * such instances could both create the lock table, both "hold" the lock and run the changesets twice.
 * Here a PostgreSQL advisory lock (per database) is taken first and held until the changelog lock is
 * released: the second instance waits, then reads the history again and finds nothing to run.
 * Registered through {@code META-INF/services/liquibase.lockservice.LockService}.
 */
@RegisterForReflection
public class SerializedMigrationLockService extends StandardLockService {

    /** Advisory lock key of this service's migrations ("tasks" in ASCII). */
    private static final long MIGRATION_LOCK = 0x7461736b73L;

    private boolean serialized;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void waitForLock() throws LockException {
        if (!serialized) {
            advisory("pg_advisory_lock");
            serialized = true;
            // What was read before the wait may predate another instance's migration.
            Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class)
                    .getChangeLogService(database).reset();
        }
        super.waitForLock();
    }

    @Override
    public void releaseLock() throws LockException {
        try {
            super.releaseLock();
        } finally {
            if (serialized) {
                serialized = false;
                advisory("pg_advisory_unlock");
            }
        }
    }

    private void advisory(String function) throws LockException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return;
        }
        try (Statement statement = jdbc.getUnderlyingConnection().createStatement()) {
            statement.execute("SELECT " + function + "(" + MIGRATION_LOCK + ")");
            Log.debugf("%s(%d) done", function, MIGRATION_LOCK);
        } catch (SQLException e) {
            throw new LockException(e);
        }
    }
}

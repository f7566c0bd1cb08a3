package dev.tasks.config;

import java.sql.SQLException;
import java.util.Set;

import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;

/**
 * Liquibase's history service for PostgreSQL, made safe for several instances starting at once on an
 * empty database. Liquibase 4.33 creates DATABASECHANGELOG while it parses the changelog's includes,
 * before it takes DATABASECHANGELOGLOCK, so two instances can both try to create it and the loser fails
 * at start. Here the loser rolls back, forgets what it had cached and reads the table the winner created;
 * everything after that runs under the lock as usual. Registered through
 * {@code META-INF/services/liquibase.changelog.ChangeLogHistoryService}; the native image needs that file and
 * the no-argument constructor, hence the resource include and {@link RegisterForReflection}.
 */
@RegisterForReflection
public class ConcurrentStartChangeLogHistoryService extends StandardChangeLogHistoryService {

    /** unique_violation (on pg_type, the usual outcome of the race) and duplicate_table. */
    private static final Set<String> CREATED_CONCURRENTLY = Set.of("23505", "42P07");
    private static final int ATTEMPTS = 5;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void init() throws DatabaseException {
        for (int attempt = 1;; attempt++) {
            try {
                super.init();
                return;
            } catch (DatabaseException e) {
                if (attempt >= ATTEMPTS || !createdConcurrently(e)) {
                    throw e;
                }
                Log.infof("Another instance created %s at the same moment; reading the table it created",
                        getDatabaseChangeLogTableName());
                // PostgreSQL aborted the transaction of the failed CREATE TABLE.
                getDatabase().rollback();
                reset();
            }
        }
    }

    private static boolean createdConcurrently(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && CREATED_CONCURRENTLY.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

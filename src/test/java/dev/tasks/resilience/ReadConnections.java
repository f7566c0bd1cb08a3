package dev.tasks.resilience;

import java.time.Duration;

import dev.tasks.config.PgPools;
import dev.tasks.db.Sql;

/** The read client's connections as PostgreSQL sees them ({@code pg_stat_activity}, by their name). */
final class ReadConnections {

    private ReadConnections() {
    }

    /** Read connections open on the test database. */
    static long count(Sql sql) {
        return sql.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = ?", Long.class, PgPools.READS_APPLICATION_NAME);
    }

    /** Read connections whose statement waits on a lock, once there is one, or 0 after {@code limit}. */
    static long awaitWaitingOnALock(Sql sql, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long waiting;
        do {
            waiting = sql.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = ? AND wait_event_type = 'Lock'", Long.class,
                    PgPools.READS_APPLICATION_NAME);
            if (waiting > 0) {
                return waiting;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return waiting;
    }
}

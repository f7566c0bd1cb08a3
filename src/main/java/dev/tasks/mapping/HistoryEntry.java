package dev.tasks.mapping;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.tasks.entity.AuditEntry;

/**
 * One entry of a task's history.
 *
 * @param id        position in the audit trail (ascending = oldest first)
 * @param version   the task's version after this change, the same as in the change feed
 * @param operation INSERT, UPDATE or DELETE
 * @param time      the writing transaction's time
 * @param txid      the writing transaction's id (xid8, as a string: it can exceed 2^53)
 * @param actor     who the service wrote for; null for writes made outside the service
 * @param requestId the request id of that write; null outside the service
 * @param dbUser    the database login that wrote
 * @param changes   changed fields, each with its old and new value: the audit entry's JSON object as
 *                  PostgreSQL wrote it, written into the answer as it is (it holds data columns only, no times)
 */
public record HistoryEntry(long id, long version, String operation, OffsetDateTime time, String txid, String actor,
        String requestId, String dbUser, @JsonRawValue String changes) {

    public static HistoryEntry from(AuditEntry entry) {
        return new HistoryEntry(entry.id(), entry.id(), entry.operation(), entry.txTime(), entry.txid(), entry.actor(),
                entry.requestId(), entry.dbUser(), entry.changes());
    }
}

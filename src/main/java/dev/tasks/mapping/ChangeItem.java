package dev.tasks.mapping;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.tasks.entity.ChangeEntry;

/**
 * One change of the feed.
 *
 * @param id        the audit entry id
 * @param version   the task's version after this change: it increases with every change of that task,
 *                  whoever writes, in the order the changes committed (a mirror keeps the highest it has
 *                  applied per task and skips any item whose version is not higher)
 * @param taskId    the task that changed
 * @param operation INSERT, UPDATE or DELETE
 * @param time      the writing transaction's time
 * @param txid      the writing transaction's id, as a string
 * @param actor     who the service wrote for (the token's principal, or anonymous); null for writes
 *                  made outside the service
 * @param changes   changed fields, each with its old and new value: the audit entry's JSON object as
 *                  PostgreSQL wrote it, written into the answer as it is (it holds data columns only, no times)
 * @param row       the task after the change, as stored; null for a delete
 */
public record ChangeItem(long id, long version, long taskId, String operation, OffsetDateTime time, String txid,
        String actor, @JsonRawValue String changes, TaskResponse row) {

    public static ChangeItem from(ChangeEntry entry) {
        return new ChangeItem(entry.id(), entry.id(), entry.taskId(), entry.operation(), entry.txTime(),
                Long.toString(entry.txid()), entry.actor(), entry.changes(), entry.row());
    }
}

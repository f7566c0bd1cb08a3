-- What holds the change feed back: the feed serves only transactions older than the snapshot's xmin,
-- the oldest transaction id still running anywhere on the server (transaction ids are server-wide, so a
-- write transaction in another database counts). A transaction holds an id only once it writes (or asks
-- for one): read-only transactions do not hold the feed. A prepared (two-phase) transaction holds it until
-- it is committed or rolled back. One row: the horizon xmin; whether later transactions have completed
-- behind it (xmin < xmax: they are held back now); and, when this login may see the transaction that has
-- that id (its own sessions, or any with pg_read_all_stats), its database, how long it has run and who.
-- ahead: the newest audit entry has a transaction id this cluster has not handed out yet. That happens
-- only after a restore from another cluster (or a point-in-time one, or a failover to a standby that was
-- behind): the feed's positions are transaction ids, so a consumer at the restored tail would never see a
-- new write (docs/database-roles.md, "Transaction ids after a restore"). {schema} as in tracking-check.sql.
WITH snapshot AS (SELECT pg_current_snapshot() AS s),
     horizon AS (
    SELECT pg_snapshot_xmin(s) AS xmin, pg_snapshot_xmin(s) < pg_snapshot_xmax(s) AS behind,
           (pg_snapshot_xmin(s)::text::numeric % 4294967296)::text AS xid32,
           (SELECT max(a.txid) FROM {schema}audit_log a WHERE a.table_name = 'tasks') AS newest,
           pg_snapshot_xmax(s) AS next
      FROM snapshot)
SELECT o.xmin::text AS xid, o.behind, o.newest >= o.next AS ahead, o.newest::text AS newest, o.next::text AS next,
       h.database, h.age_seconds, h.holder
  FROM horizon o
  LEFT JOIN LATERAL (
        SELECT a.datname::text AS database, extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS age_seconds,
               'pid ' || a.pid || coalesce(' (' || nullif(a.application_name, '') || ')', '') AS holder
          FROM pg_stat_activity a
         WHERE a.backend_xid::text = o.xid32 AND a.pid <> pg_backend_pid()
        UNION ALL
        SELECT p.database::text, extract(epoch FROM clock_timestamp() - p.prepared)::float8,
               'prepared transaction ' || quote_literal(p.gid)
          FROM pg_prepared_xacts p
         WHERE p.transaction::text = o.xid32
         LIMIT 1) h ON true

-- Generates the tracking of one table: a BEFORE trigger function (created_at, updated_at and, when the
-- table has a jsonb field_updated_at column, the per-field times) and an AFTER trigger function (the
-- audit row), written for that table's columns, and attaches them as zz_10_timestamps and zz_90_audit,
-- with tracking_refuse_truncate and tracking_notify (NOTIFY audit_log, once per statement) beside the
-- audit, on the table and on each of its partitions; a trigger made ENABLE ALWAYS, or a tracking_notify
-- turned off, stays so. Called by the enable_* functions; apply = false only returns the SQL it would
-- run, so a comparison with the installed functions finds a stale generation.
--
-- "Changed" means IS DISTINCT FROM per column, with the column type's own equality: updated_at, the
-- per-field times and the audit use the very same comparisons. A column written with a value equal to
-- its stored one that way (numeric 1.0 -> 1.00, interval '1 day' -> '24 hours', a citext case change)
-- keeps its stored form, so the row and its history never disagree. Column types without an equality
-- operator (json, point) are refused here, at enable time. A column added since the last generation is
-- written but not tracked until the next one (tracking_drift() names the table).
-- Generated columns are not compared in the BEFORE trigger (they are computed after it) and are not
-- given a field time; the audit records them with the row.
--
-- The generated functions name every object with its schema, taken now: the table's schema for the
-- functions, this function's install schema for audit_log. They pin search_path = pg_catalog, pg_temp,
-- so no caller's search path, temporary table or same-named function can redirect them. This function
-- itself keeps the search path it was created with (Liquibase's, whose first schema is the install
-- schema) only to know that schema; it names everything else with its schema and is not executable by
-- PUBLIC.
CREATE OR REPLACE FUNCTION tracking_generate(target regclass, timestamps boolean, audit boolean,
                                             apply boolean DEFAULT true)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
AS $$
DECLARE
    install_schema CONSTANT text := pg_catalog.current_schema();
    tracking CONSTANT text[] := ARRAY['created_at', 'updated_at', 'field_updated_at'];
    rel record;
    col record;
    qualified text;
    prefix text;
    before_fn text;
    audit_fn text;
    pk text;
    field_times boolean := false;
    compared text[] := '{}';
    fields text[] := '{}';
    audited text[] := '{}';
    changed text;
    distinct_test text[] := '{}';
    audited_test text[] := '{}';
    test text;
    equality regoperator;
    keep text := '';
    moves boolean;
    expression_key boolean;
    key_columns text[];
    move_test text;
    marker text := pg_catalog.format('%I.tracking_moves', install_schema);
    marker_row text;
    before_changes text;
    before_move_insert text := '';
    before_move_update text := '';
    after_move_update text := '';
    after_move_insert text := '';
    after_move_delete text := '';
    own_change text;
    row_rule text;
    keep_if_equal text := '';
    field_chain text := '';
    audit_chain text := '';
    insert_changes text := '';
    delete_changes text := '';
    row_time text;
    body text;
    statements text[] := '{}';
    enabled "char";
    part record;
    settings text;
    time_key boolean;
    bytea_key boolean;
    floats boolean;
BEGIN
    SELECT c.relname, n.nspname, c.relkind, c.relpersistence, c.relispartition INTO rel
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = target;
    IF rel.relpersistence = 't' THEN
        RAISE EXCEPTION 'table % is temporary: tracking is only for permanent tables', target;
    END IF;
    IF rel.relispartition THEN
        RAISE EXCEPTION 'table % is a partition: enable tracking on its partitioned table, % ',
            target, pg_catalog.pg_partition_root(target);
    END IF;
    IF rel.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', target;
    END IF;
    qualified := pg_catalog.format('%I.%I', rel.nspname, rel.relname);
    prefix := pg_catalog.left(rel.relname, 40);
    before_fn := pg_catalog.format('%I.%I', rel.nspname, prefix || '_tracking_before');
    audit_fn := pg_catalog.format('%I.%I', rel.nspname, prefix || '_tracking_audit');

    SELECT pg_catalog.array_agg(a.attname ORDER BY a.attnum) INTO STRICT compared
      FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = target AND i.indisprimary;
    IF pg_catalog.cardinality(compared) = 1 THEN
        pk := compared[1];
    ELSIF audit THEN
        RAISE EXCEPTION 'table % needs a single-column primary key', target;
    END IF;
    compared := '{}';

    -- Writer settings that would change what the functions write. The key's text (audit_log.row_id, the
    -- marker of a row that moves, tracking_changed_in_transaction()) follows TimeZone, DateStyle and
    -- IntervalStyle for a date or time key (so one row would be filed under two ids), bytea_output for a
    -- bytea key; a float value follows extra_float_digits, which rounds it when negative. Pinned in both
    -- functions where the table has such a key or column, whatever domain, array or range wraps it; a
    -- table without (tasks) pays nothing for it. The audit function pins TimeZone on every table: the row
    -- images and changes it writes show each timestamptz in the session's zone, which may be up to 167
    -- hours from UTC (SET TimeZone = 'XXX+167'), an offset that RFC 3339 and Java cannot read.
    -- tracking_drift() reads the settings back from the catalog.
    settings := 'SET search_path = pg_catalog, pg_temp';
    WITH RECURSIVE types (attname, typid) AS (
        SELECT a.attname, a.atttypid FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped
        UNION
        SELECT types.attname, u.typid
          FROM types JOIN pg_catalog.pg_type t ON t.oid = types.typid
          CROSS JOIN LATERAL (SELECT t.typbasetype WHERE t.typtype = 'd'
                              UNION ALL SELECT t.typelem WHERE t.typcategory = 'A' AND t.typelem <> 0
                              UNION ALL SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid) u (typid)
    )
    SELECT pg_catalog.bool_or(types.attname = pk AND t.typcategory IN ('D', 'T')),
           pg_catalog.bool_or(types.attname = pk AND t.oid = 'pg_catalog.bytea'::pg_catalog.regtype),
           pg_catalog.bool_or(t.oid IN ('pg_catalog.float4'::pg_catalog.regtype, 'pg_catalog.float8'::pg_catalog.regtype))
      INTO time_key, bytea_key, floats
      FROM types JOIN pg_catalog.pg_type t ON t.oid = types.typid;
    IF time_key THEN
        settings := settings || ' SET TimeZone = utc SET DateStyle = iso, ymd SET IntervalStyle = postgres';
    END IF;
    IF bytea_key THEN
        settings := settings || ' SET bytea_output = hex';
    END IF;
    IF floats THEN
        settings := settings || ' SET extra_float_digits = 1';
    END IF;

    field_times := timestamps AND EXISTS (
        SELECT 1 FROM pg_catalog.pg_attribute
         WHERE attrelid = target AND attname = 'field_updated_at' AND NOT attisdropped
           AND atttypid = 'pg_catalog.jsonb'::pg_catalog.regtype);

    FOR col IN SELECT a.attname, a.attgenerated <> '' AS generated,
                      -- Equal values of this type have one stored form (btree "equalimage", deterministic
                      -- collation); when not, an equal write must not replace the stored form.
                      EXISTS (SELECT 1 FROM pg_catalog.pg_opclass oc
                                JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod AND am.amname = 'btree'
                                JOIN pg_catalog.pg_amproc ap ON ap.amprocfamily = oc.opcfamily AND ap.amprocnum = 4
                                 AND ap.amproclefttype = oc.opcintype AND ap.amprocrighttype = oc.opcintype
                               WHERE oc.opcdefault AND oc.opcintype = a.atttypid)
                        AND coalesce((SELECT co.collisdeterministic FROM pg_catalog.pg_collation co
                                       WHERE co.oid = a.attcollation), true) AS image_equal,
                      pg_catalog.format_type(a.atttypid, NULL) AS type,
                      CASE WHEN t.typcategory = 'A' THEN pg_catalog.format_type(t.typelem, NULL) END AS element
                 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attname <> ALL (tracking)
                ORDER BY a.attnum
    LOOP
        BEGIN
            EXECUTE pg_catalog.format('SELECT NULL::%1$s IS DISTINCT FROM NULL::%1$s', col.type);
            IF col.element IS NOT NULL THEN
                EXECUTE pg_catalog.format('SELECT NULL::%1$s IS DISTINCT FROM NULL::%1$s', col.element);
            END IF;
        EXCEPTION WHEN undefined_function THEN
            RAISE EXCEPTION 'column % of % has type %, which has no equality operator: tracking cannot tell '
                            'whether it changed (use jsonb rather than json, or another comparable type)',
                            pg_catalog.quote_ident(col.attname), target, col.type;
        END;
        -- The generated functions see only pg_catalog: an equality operator from elsewhere (citext's, in
        -- its extension's schema) is named with its schema, or they would compare by another one.
        equality := pg_catalog.to_regoperator(pg_catalog.format('=(%s,%s)', col.type, col.type));
        IF equality IS NOT NULL AND (SELECT o.oprnamespace <> 'pg_catalog'::pg_catalog.regnamespace
                                       FROM pg_catalog.pg_operator o WHERE o.oid = equality) THEN
            test := pg_catalog.format('((NEW.%1$I OPERATOR(%2$I.=) OLD.%1$I) IS NOT TRUE AND (NEW.%1$I IS NOT NULL OR OLD.%1$I IS NOT NULL))',
                                      col.attname, (SELECT n.nspname FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n
                                                      ON n.oid = o.oprnamespace WHERE o.oid = equality));
        ELSE
            test := pg_catalog.format('NEW.%1$I IS DISTINCT FROM OLD.%1$I', col.attname);
        END IF;
        audited := audited || col.attname::text;
        audited_test := audited_test || test;
        IF NOT col.generated THEN
            IF NOT col.image_equal THEN
                keep := keep || pg_catalog.format(E'\n        NEW.%1$I := OLD.%1$I;', col.attname);
                keep_if_equal := keep_if_equal || pg_catalog.format(E'\n    IF NOT (%2$s) THEN\n        NEW.%1$I := OLD.%1$I;\n    END IF;',
                                                                    col.attname, test);
            END IF;
            distinct_test := distinct_test || test;
            compared := compared || col.attname::text;
            IF col.attname IS DISTINCT FROM pk THEN
                fields := fields || col.attname::text;
            END IF;
        END IF;
    END LOOP;

    SELECT coalesce(pg_catalog.string_agg(t, E'\n           OR '), 'false')
      INTO changed FROM pg_catalog.unnest(distinct_test) AS t;
    SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(E'\n            || CASE WHEN %2$s '
                                                            'THEN pg_catalog.jsonb_build_object(%1$L, stamp) ELSE ''{}'' END', c, t), ''), '')
      INTO field_chain FROM ROWS FROM (pg_catalog.unnest(compared), pg_catalog.unnest(distinct_test)) AS u(c, t) WHERE c = ANY (fields);
    SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(E'\n            || pg_catalog.jsonb_build_object(%1$L, pg_catalog.jsonb_build_object(''old'', NULL, ''new'', NEW.%1$I))', c), ''), ''),
           coalesce(pg_catalog.string_agg(pg_catalog.format(E'\n            || pg_catalog.jsonb_build_object(%1$L, pg_catalog.jsonb_build_object(''old'', OLD.%1$I, ''new'', NULL))', c), ''), ''),
           coalesce(pg_catalog.string_agg(pg_catalog.format(E'\n            || CASE WHEN %2$s '
                                                            'THEN pg_catalog.jsonb_build_object(%1$L, pg_catalog.jsonb_build_object(''old'', OLD.%1$I, ''new'', NEW.%1$I)) '
                                                            'ELSE ''{}'' END', c, t), ''), '')
      INTO insert_changes, delete_changes, audit_chain FROM ROWS FROM (pg_catalog.unnest(audited), pg_catalog.unnest(audited_test)) AS u(c, t);

    -- A row moving to another partition is a DELETE and an INSERT to PostgreSQL. With timestamps and
    -- audit on a partitioned table, the BEFORE UPDATE half leaves a marker (in a table no writer can
    -- touch) under the row's new key, which the INSERT half takes: the row keeps created_at, and the
    -- audit writes one UPDATE (under the new key, as for any key change) instead of DELETE + INSERT.
    -- The single-column primary key of an audited partitioned table is its partition key, so a move
    -- always changes the key.
    moves := rel.relkind = 'p' AND timestamps AND audit AND pk IS NOT NULL;
    IF moves THEN
        SELECT coalesce(pg_catalog.bool_or(a.attname IS NULL), false),
               pg_catalog.array_agg(DISTINCT a.attname::text) FILTER (WHERE a.attname IS NOT NULL)
          INTO expression_key, key_columns
          FROM pg_catalog.pg_partition_tree(target) t
          JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = t.relid
         CROSS JOIN LATERAL pg_catalog.unnest(pt.partattrs::int2[]) AS k(attnum)
          LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum AND k.attnum <> 0;
        IF expression_key THEN
            move_test := changed;
        ELSE
            SELECT coalesce(pg_catalog.string_agg(t, ' OR '), 'false') INTO move_test
              FROM ROWS FROM (pg_catalog.unnest(compared), pg_catalog.unnest(distinct_test)) AS u(c, t)
             WHERE c = ANY (key_columns);
        END IF;
        SELECT coalesce(pg_catalog.string_agg(pg_catalog.format(E'\n            || CASE WHEN %2$s '
                                                                'THEN pg_catalog.jsonb_build_object(%1$L, pg_catalog.jsonb_build_object(''old'', OLD.%1$I, ''new'', NEW.%1$I)) '
                                                                'ELSE ''{}'' END', c, t), ''), '')
          INTO before_changes FROM ROWS FROM (pg_catalog.unnest(compared), pg_catalog.unnest(distinct_test)) AS u(c, t);
        marker_row := pg_catalog.format('txid = pg_catalog.pg_current_xact_id() AND root = %L AND row_key = ', qualified);
        before_move_insert := pg_catalog.format($m$
        UPDATE %1$s AS m SET consumed = true WHERE %2$sNEW.%3$I::text AND NOT m.consumed
        RETURNING m.created_at INTO moved_created;
        IF FOUND THEN
            -- The INSERT half of a row moving to another partition: the times are the UPDATE half's.
            NEW.created_at := moved_created;
            RETURN NEW;
        END IF;$m$, marker, marker_row, pk);
        before_move_update := pg_catalog.format($m$
    IF %1$s THEN
        INSERT INTO %2$s (txid, root, row_key, old_key, created_at, row_time, old_row, changes)
        VALUES (pg_catalog.pg_current_xact_id(), %3$L, NEW.%4$I::text, OLD.%4$I::text, OLD.created_at, NEW.updated_at,
                pg_catalog.to_jsonb(OLD), '{}'::jsonb%5$s)
        ON CONFLICT (txid, root, row_key) DO UPDATE
           SET old_key = EXCLUDED.old_key, created_at = EXCLUDED.created_at, row_time = EXCLUDED.row_time,
               old_row = EXCLUDED.old_row, changes = EXCLUDED.changes, consumed = false;
    END IF;$m$, move_test, marker, qualified, pk, before_changes);
        after_move_update := pg_catalog.format($m$
        IF %1$s THEN
            -- The partition key changed but the row stayed: the marker is not needed.
            DELETE FROM %2$s WHERE %3$sNEW.%4$I::text;
        END IF;$m$, move_test, marker, marker_row, pk);
        after_move_delete := pg_catalog.format($m$
        IF EXISTS (SELECT 1 FROM %1$s WHERE %2$s AND old_key = OLD.%3$I::text AND consumed) THEN
            RETURN NULL;
        END IF;$m$, marker, pg_catalog.format('txid = pg_catalog.pg_current_xact_id() AND root = %L', qualified), pk);
        after_move_insert := pg_catalog.format($m$
        DELETE FROM %1$s AS m WHERE %2$sNEW.%3$I::text AND m.consumed
        RETURNING m.old_row, m.changes, m.row_time INTO moved_old, moved_changes, moved_time;
        IF FOUND THEN
            INSERT INTO %4$s (table_schema, table_name, row_id, operation, old_row, new_row, changes, txid,
                              tx_time, statement_time, clock_time, db_user, actor, request_id)
            VALUES (%5$L, %6$L, NEW.%3$I::text, 'UPDATE', moved_old, pg_catalog.to_jsonb(NEW), moved_changes,
                    pg_catalog.pg_current_xact_id(), moved_time, pg_catalog.statement_timestamp(),
                    pg_catalog.clock_timestamp(), SESSION_USER,
                    NULLIF(pg_catalog.current_setting('app.actor', true), ''),
                    NULLIF(pg_catalog.current_setting('app.request_id', true), ''));
            RETURN NULL;
        END IF;$m$, marker, marker_row, pk, pg_catalog.format('%I.audit_log', install_schema), rel.nspname, rel.relname);
    END IF;

    -- The time a changed row gets (guarantee 4 of docs/design.md; next_row_time() states it too): the
    -- transaction time, or the stored time plus one microsecond when the transaction time would not move
    -- it forward. A stored time equal to the transaction time is this transaction's own earlier change of
    -- the row, which keeps it (one time per transaction), or the change of another transaction that
    -- started in the same microsecond and committed, which must not share it (an ETag names one state).
    -- The audit trail tells the two apart, when the table is audited and tracking_changed_in_transaction()
    -- is installed; without either, an equal time is kept, as before.
    own_change := CASE WHEN audit AND pk IS NOT NULL AND pg_catalog.to_regprocedure(pg_catalog.format(
                            '%I.tracking_changed_in_transaction(text, text, text)', install_schema)) IS NOT NULL
                       THEN pg_catalog.format('%I.tracking_changed_in_transaction(%L, %L, OLD.%I::text)',
                                              install_schema, rel.nspname, rel.relname, pk)
                       ELSE 'true' END;
    row_rule := pg_catalog.format(
        E'CASE WHEN OLD.updated_at IS NULL OR OLD.updated_at < pg_catalog.now() THEN pg_catalog.now()\n'
        || E'                           WHEN OLD.updated_at = pg_catalog.now() AND %s THEN pg_catalog.now()\n'
        || E'                           ELSE OLD.updated_at + ''00:00:00.000001''::pg_catalog.interval END',
        own_change);

    IF timestamps THEN
        body := pg_catalog.format($f$
-- Generated by tracking_generate() for %1$s; regenerate with enable_tracking('%1$s') after changing the table.
DECLARE
    stamp jsonb;
    moved_created timestamptz;
BEGIN
    IF TG_OP = 'INSERT' THEN%8$s
        NEW.created_at := pg_catalog.now();
        NEW.updated_at := NEW.created_at;%2$s
        RETURN NEW;
    END IF;
    -- The tracking columns are not the writer's; columns equal to the stored ones keep their stored form.
    IF NOT (%3$s) THEN
        NEW.created_at := OLD.created_at;
        NEW.updated_at := OLD.updated_at;%5$s%6$s
        RETURN NEW;
    END IF;%7$s
    NEW.created_at := OLD.created_at;
    NEW.updated_at := %10$s;%4$s%9$s
    RETURN NEW;
END
$f$, qualified,
            CASE WHEN field_times THEN pg_catalog.format(E'\n        NEW.field_updated_at := pg_catalog.jsonb_object(%L::text[], '
                'pg_catalog.array_fill(pg_catalog.to_char(NEW.created_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"''), ARRAY[%s]));',
                fields, pg_catalog.cardinality(fields)) ELSE '' END,
            changed,
            CASE WHEN field_times THEN E'\n    stamp := pg_catalog.to_jsonb(pg_catalog.to_char(NEW.updated_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.US"Z"''));'
                 || E'\n    NEW.field_updated_at := coalesce(OLD.field_updated_at, ''{}'')' || field_chain || ';'
                 ELSE '' END,
            CASE WHEN field_times THEN E'\n        NEW.field_updated_at := OLD.field_updated_at;' ELSE '' END,
            keep, keep_if_equal, before_move_insert, before_move_update, row_rule);
        statements := statements || pg_catalog.format(
            'CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql %s%s AS %L',
            before_fn, CASE WHEN moves THEN 'SECURITY DEFINER ' ELSE '' END, settings, body);
    END IF;

    IF audit THEN
        -- With timestamps, an entry's time is the time its row got (next_row_time of the stored
        -- updated_at), so a row's history never goes back in time; without, the transaction time.
        row_time := CASE WHEN timestamps THEN row_rule ELSE 'pg_catalog.now()' END;
        body := pg_catalog.format($f$
-- Generated by tracking_generate() for %1$s; regenerate with enable_tracking('%1$s') after changing the table.
DECLARE
    changes jsonb;
    moved_old jsonb;
    moved_changes jsonb;
    moved_time timestamptz;
BEGIN
    -- Attached anywhere else (a temporary table of the same shape, another table), it refuses to write.
    IF TG_TABLE_NAME <> %2$L OR TG_TABLE_SCHEMA <> %3$L THEN
        IF pg_catalog.pg_partition_root(TG_RELID) IS DISTINCT FROM %4$L::pg_catalog.regclass THEN
            RAISE EXCEPTION 'the audit function of %% cannot audit %%', %4$L, TG_RELID::pg_catalog.regclass;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' THEN%11$s
        changes := '{}'::jsonb%5$s;
        IF changes = '{}'::jsonb THEN
            RETURN NULL;
        END IF;
        INSERT INTO %6$s (table_schema, table_name, row_id, operation, old_row, new_row, changes, txid,
                          tx_time, statement_time, clock_time, db_user, actor, request_id)
        VALUES (%3$L, %2$L, NEW.%7$I::text, 'UPDATE', pg_catalog.to_jsonb(OLD), pg_catalog.to_jsonb(NEW), changes,
                pg_catalog.pg_current_xact_id(), %8$s, pg_catalog.statement_timestamp(),
                pg_catalog.clock_timestamp(), SESSION_USER,
                NULLIF(pg_catalog.current_setting('app.actor', true), ''),
                NULLIF(pg_catalog.current_setting('app.request_id', true), ''));
    ELSIF TG_OP = 'INSERT' THEN%12$s
        INSERT INTO %6$s (table_schema, table_name, row_id, operation, old_row, new_row, changes, txid,
                          tx_time, statement_time, clock_time, db_user, actor, request_id)
        VALUES (%3$L, %2$L, NEW.%7$I::text, 'INSERT', NULL, pg_catalog.to_jsonb(NEW), '{}'::jsonb%9$s,
                pg_catalog.pg_current_xact_id(), pg_catalog.now(), pg_catalog.statement_timestamp(),
                pg_catalog.clock_timestamp(), SESSION_USER,
                NULLIF(pg_catalog.current_setting('app.actor', true), ''),
                NULLIF(pg_catalog.current_setting('app.request_id', true), ''));
    ELSE%13$s
        INSERT INTO %6$s (table_schema, table_name, row_id, operation, old_row, new_row, changes, txid,
                          tx_time, statement_time, clock_time, db_user, actor, request_id)
        VALUES (%3$L, %2$L, OLD.%7$I::text, 'DELETE', pg_catalog.to_jsonb(OLD), NULL, '{}'::jsonb%10$s,
                pg_catalog.pg_current_xact_id(), %8$s, pg_catalog.statement_timestamp(),
                pg_catalog.clock_timestamp(), SESSION_USER,
                NULLIF(pg_catalog.current_setting('app.actor', true), ''),
                NULLIF(pg_catalog.current_setting('app.request_id', true), ''));
    END IF;
    RETURN NULL;
END
$f$, qualified, rel.relname, rel.nspname, qualified, audit_chain,
            pg_catalog.format('%I.audit_log', install_schema), pk, row_time, insert_changes, delete_changes,
            after_move_update, after_move_insert, after_move_delete);
        statements := statements || pg_catalog.format(
            'CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER %s AS %L',
            audit_fn, settings || CASE WHEN time_key THEN '' ELSE ' SET TimeZone = utc' END, body);
    END IF;

    IF NOT apply THEN
        RETURN pg_catalog.array_to_string(statements, E';\n');
    END IF;
    FOREACH body IN ARRAY statements LOOP
        EXECUTE body;
    END LOOP;

    IF timestamps THEN
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s() FROM PUBLIC', before_fn);
        -- The per-field times used to be a trigger of their own; the generated function does both now.
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_trigger WHERE tgrelid = target AND tgname = 'zz_05_field_times') THEN
            EXECUTE pg_catalog.format('DROP TRIGGER zz_05_field_times ON %s', qualified);
        END IF;
        SELECT t.tgenabled INTO enabled FROM pg_catalog.pg_trigger t WHERE t.tgrelid = target AND t.tgname = 'zz_10_timestamps';
        EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER zz_10_timestamps BEFORE INSERT OR UPDATE ON %s '
                                  'FOR EACH ROW EXECUTE FUNCTION %s()', qualified, before_fn);
        IF enabled = 'A' THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER zz_10_timestamps', qualified);
        END IF;
    END IF;
    IF audit THEN
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s() FROM PUBLIC', audit_fn);
        SELECT t.tgenabled INTO enabled FROM pg_catalog.pg_trigger t WHERE t.tgrelid = target AND t.tgname = 'zz_90_audit';
        EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER zz_90_audit AFTER INSERT OR UPDATE OR DELETE ON %s '
                                  'FOR EACH ROW EXECUTE FUNCTION %s()', qualified, audit_fn);
        IF enabled = 'A' THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER zz_90_audit', qualified);
        END IF;
        -- The statement triggers: TRUNCATE refused, and one notification per statement (it only says "read
        -- the feed again"). PostgreSQL clones row triggers to partitions, but not statement triggers: a
        -- TRUNCATE, or a write that names a partition, fires only that partition's own. So the table and
        -- every partition (at any level) get both. A refusal made ENABLE ALWAYS stays so on each;
        -- tracking_notify takes the table's state, so one turned off with tracking_set_notify() stays off.
        -- A partition created or attached later has neither until the next call; tracking_drift() names
        -- the table meanwhile.
        SELECT t.tgenabled INTO enabled FROM pg_catalog.pg_trigger t WHERE t.tgrelid = target AND t.tgname = 'tracking_notify';
        FOR part IN
            SELECT pg_catalog.format('%I.%I', pn.nspname, pc.relname) AS qualified,
                   (SELECT t.tgenabled FROM pg_catalog.pg_trigger t
                     WHERE t.tgrelid = tree.relid AND t.tgname = 'tracking_refuse_truncate') AS refusal
              FROM (SELECT target AS relid, 0 AS level
                    UNION ALL
                    SELECT p.relid, p.level FROM pg_catalog.pg_partition_tree(target) p WHERE p.relid <> target) tree
              JOIN pg_catalog.pg_class pc ON pc.oid = tree.relid
              JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
             ORDER BY tree.level, pc.relname
        LOOP
            EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER tracking_refuse_truncate BEFORE TRUNCATE ON %s '
                                      'FOR EACH STATEMENT EXECUTE FUNCTION %I.refuse_truncate()', part.qualified, install_schema);
            IF part.refusal = 'A' THEN
                EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ALWAYS TRIGGER tracking_refuse_truncate', part.qualified);
            END IF;
            EXECUTE pg_catalog.format('CREATE OR REPLACE TRIGGER tracking_notify AFTER INSERT OR UPDATE OR DELETE ON %s '
                                      'FOR EACH STATEMENT EXECUTE FUNCTION %I.notify_changes()', part.qualified, install_schema);
            IF enabled IN ('A', 'D') THEN
                EXECUTE pg_catalog.format('ALTER TABLE %s %s TRIGGER tracking_notify', part.qualified,
                                          CASE enabled WHEN 'A' THEN 'ENABLE ALWAYS' ELSE 'DISABLE' END);
            END IF;
        END LOOP;
    END IF;
    -- Enabling is the owner's deliberate act: what it installed becomes the recorded state the readiness
    -- check compares with, and nothing else does (tracking_record_table()). The record comes with later
    -- changesets: absent during the first migration, which records at its end.
    IF pg_catalog.to_regclass(pg_catalog.quote_ident(install_schema) || '.tracking_installed') IS NOT NULL THEN
        IF pg_catalog.to_regprocedure(pg_catalog.quote_ident(install_schema) || '.tracking_record_table(regclass, text[])') IS NOT NULL THEN
            EXECUTE pg_catalog.format('SELECT %I.tracking_record_table($1, $2)', install_schema)
              USING target, ARRAY['zz_05_field_times', 'zz_10_timestamps', 'zz_90_audit', 'tracking_refuse_truncate', 'tracking_notify'];
        ELSIF pg_catalog.to_regprocedure(pg_catalog.quote_ident(install_schema) || '.tracking_record()') IS NOT NULL THEN
            EXECUTE pg_catalog.format('SELECT %I.tracking_record()', install_schema);
        END IF;
    END IF;
    RETURN pg_catalog.array_to_string(statements, E';\n');
END
$$;
REVOKE ALL ON FUNCTION tracking_generate(regclass, boolean, boolean, boolean) FROM PUBLIC;

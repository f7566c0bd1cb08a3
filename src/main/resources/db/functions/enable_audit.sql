-- Attaches audit_row() to a table with a single-column primary key. Named zz_90_audit so that it fires
-- after every other AFTER trigger of the table.
CREATE OR REPLACE FUNCTION enable_audit(target regclass) RETURNS void
    LANGUAGE plpgsql
AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER zz_90_audit AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION audit_row(%L)', target, primary_key_column(target));
END
$$;

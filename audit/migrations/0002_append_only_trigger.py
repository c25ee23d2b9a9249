"""PostgreSQL: the audit table refuses UPDATE and DELETE even from raw SQL. The one change allowed
is the database itself nulling `actor_id` when a user account is deleted (ON DELETE SET NULL done by
Django); the account name stays in `actor_name`. TRUNCATE (restore into a new database, test
teardown) is a table operation and not affected."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.at, NEW.actor_name, NEW.action, NEW.target_type, NEW.target_id, NEW.target_repr,
            NEW.detail::text, NEW.address)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_name, OLD.action, OLD.target_type, OLD.target_id, OLD.target_repr,
            OLD.detail::text, OLD.address) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计日志不可修改或删除 (audit_auditevent is append-only)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

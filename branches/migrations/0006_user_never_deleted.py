"""PostgreSQL: user rows are never deleted, even from raw SQL (accounts are deactivated; scores,
problems and the audit log keep their authors). The model refuses it first (branches.models)."""

from django.db import migrations

import branches.models

CREATE = """
CREATE OR REPLACE FUNCTION branches_user_never_deleted() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '用户账号不能删除，请改为停用 (branches_user rows are never deleted)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS branches_user_never_deleted ON branches_user;
CREATE TRIGGER branches_user_never_deleted BEFORE DELETE ON branches_user
    FOR EACH ROW EXECUTE FUNCTION branches_user_never_deleted();
"""

DROP = """
DROP TRIGGER IF EXISTS branches_user_never_deleted ON branches_user;
DROP FUNCTION IF EXISTS branches_user_never_deleted();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("branches", "0005_plain_text_names")]
    operations = [
        migrations.AlterModelManagers(name="user", managers=[("objects", branches.models.PortalUserManager())]),
        migrations.RunPython(create, drop),
    ]

"""The one sanctioned way past the audit table's TRUNCATE trigger: emptying a whole database that
is about to receive a backup (`restore`) or a test's teardown. Needs the table's owner (ALTER TABLE);
the application role, which owns nothing, cannot do it (README, "Database roles")."""

from __future__ import annotations

from contextlib import contextmanager

TOGGLE = """
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_event_no_truncate') THEN
        ALTER TABLE audit_auditevent {action} TRIGGER audit_event_no_truncate;
    END IF;
END $$;
"""


@contextmanager
def audit_truncate_allowed(connection):
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(TOGGLE.format(action="DISABLE"))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(TOGGLE.format(action="ENABLE"))

"""Party members moved from branches to members (issue 16) by state alone: migrating forward over
a database that has rows keeps every row, in the same tables, and the permissions follow."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("branches", "0006_user_never_deleted")  # the last migration with the models in branches


def _migrate_back():
    """To just before the move (and back, all apps' leaves, when done): the historical models then."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE, ("members", None)])
    return executor.loader.project_state([BEFORE]).apps


def _migrate_forward():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    return executor.loader.project_state(leaves).apps


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_keeps_the_rows_in_the_same_tables():
    old = _migrate_back()
    Unit = old.get_model("branches", "Unit")
    Branch = old.get_model("branches", "Branch")
    branch = Branch.objects.create(name="迁移支部", category="1", unit=Unit.objects.create(name="迁移单位"))
    member = old.get_model("branches", "PartyMember").objects.create(branch=branch, name="甲")
    old.get_model("branches", "MemberPoint").objects.create(
        member=member, date=datetime.date(2019, 2, 1), points="2.0", reason="迁移前"
    )
    old.get_model("branches", "MemberRanking").objects.create(branch=branch, year=2019, number=1, rows=[{"rank": 1}])
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    ContentType.objects.filter(app_label="members").delete()
    point_type, _ = ContentType.objects.get_or_create(app_label="branches", model="memberpoint")
    Permission.objects.get_or_create(content_type=point_type, codename="view_memberpoint", defaults={"name": "v"})
    moved = {"branches_partymember", "branches_memberpoint", "branches_memberranking"}
    assert moved <= set(connection.introspection.table_names())

    new = _migrate_forward()

    tables = set(connection.introspection.table_names())
    assert moved <= tables and not any(t.startswith("members_") for t in tables)  # the same tables
    assert new.get_model("members", "PartyMember")._meta.db_table == "branches_partymember"
    point = new.get_model("members", "MemberPoint").objects.select_related("member__branch").get()
    assert (point.member.name, point.member.branch.name, point.reason) == ("甲", "迁移支部", "迁移前")
    assert new.get_model("members", "MemberRanking").objects.get().rows == [{"rank": 1}]
    moved = new.get_model("contenttypes", "ContentType").objects.get(model="memberpoint")
    assert moved.app_label == "members"
    assert new.get_model("auth", "Permission").objects.filter(content_type=moved, codename="view_memberpoint").exists()


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses to run inside the test's transaction
def test_the_move_changes_no_table():
    for app, name in (("branches", "0007_members_moved_out"), ("members", "0001_initial")):
        sql = io.StringIO()
        call_command("sqlmigrate", app, name, stdout=sql)
        assert not re.search(r"\b(CREATE|ALTER|DROP|RENAME)\b", sql.getvalue()), (app, name, sql.getvalue())


@pytest.mark.django_db(transaction=True)
def test_the_move_migrates_back_and_forth():
    _migrate_back()
    new = _migrate_forward()
    assert new.get_model("members", "MemberRanking")._meta.db_table == "branches_memberranking"

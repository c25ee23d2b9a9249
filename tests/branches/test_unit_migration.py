"""An existing single-company database migrated to the unit tree (issue 17): one root evaluating unit
named PORTAL_COMPANY_NAME, today's 所属单位 under it as non-evaluating units, every branch and quarter
the root's, and every board exactly what it was."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from boards.selectors import board_as_dict, board_categories
from branches.models import Branch, Unit
from scoring.models import Quarter

BEFORE = [("branches", "0007_members_moved_out"), ("scoring", "0006_severity_report_to_fairness")]


def _migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _boards() -> dict[str, str]:
    return {
        q.code: json.dumps(board_as_dict(q, board_categories(q)), ensure_ascii=False, default=str)
        for q in Quarter.objects.order_by("code")
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_of_today_migrated_forward_keeps_its_boards(demo):
    boards = _boards()
    assert set(boards) == {"2018Q3", "2018Q4", "2019Q1"}
    units = dict(Branch.objects.values_list("name", "unit__name"))

    # The database as it was before the tree: units without a place, no unit on quarters.
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_unit = old.get_model("branches", "Unit")
    assert "path" not in {f.name for f in old_unit._meta.get_fields()}
    assert "unit" not in {f.name for f in old.get_model("scoring", "Quarter")._meta.get_fields()}
    old_unit.objects.filter(name=settings.COMPANY_NAME).delete()  # only the tree made it
    assert not old_unit.objects.filter(name=settings.COMPANY_NAME).exists()

    _migrate()

    root = Unit.objects.get(name=settings.COMPANY_NAME)
    assert (root.depth, root.is_evaluating, root.evaluating_unit_id) == (1, True, root.pk)
    below = Unit.objects.exclude(pk=root.pk)
    assert below.count() == root.numchild == len(set(units.values()))
    assert set(below.values_list("depth", "is_evaluating", "evaluating_unit")) == {(2, False, root.pk)}
    assert all(u.path.startswith(root.path) for u in below)
    assert Unit.find_problems() == ([], [], [], [], [])  # treebeard's own consistency check
    assert set(Branch.objects.values_list("evaluating_unit", flat=True)) == {root.pk}
    assert dict(Branch.objects.values_list("name", "unit__name")) == units
    assert set(Quarter.objects.values_list("unit", flat=True)) == {root.pk}
    assert _boards() == boards


@pytest.mark.django_db(transaction=True)
def test_a_database_with_a_unit_named_as_the_company_keeps_that_unit_as_the_root(db):
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_unit, old_branch = old.get_model("branches", "Unit"), old.get_model("branches", "Branch")
    company = old_unit.objects.create(name=settings.COMPANY_NAME)
    county = old_unit.objects.create(name="某县供电公司")
    old_branch.objects.create(name="本部党支部", category="3", kind="branch", unit=company)
    old_branch.objects.create(name="某县党支部", category="1", kind="branch", unit=county)
    old.get_model("scoring", "Quarter").objects.create(code="2019Q1", year=2019, number=1)

    _migrate()

    root = Unit.objects.get(pk=company.pk)
    assert (root.depth, root.is_evaluating, root.numchild) == (1, True, 1)
    assert Unit.objects.get(pk=county.pk).get_parent() == root
    assert set(Branch.objects.values_list("evaluating_unit", flat=True)) == {root.pk}
    assert Quarter.objects.get().unit == root

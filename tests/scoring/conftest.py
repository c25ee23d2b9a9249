"""A small cross-inspection world: one quarter being scored, two groups, a sheet for each."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from branches import roles
from branches.models import Category
from scoring.models import Quarter, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories
from tests.conftest import make_user


@pytest.fixture
def world(db):
    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    home_a = factories.BranchFactory(name="甲党支部", category=Category.III)
    home_b = factories.BranchFactory(name="乙党支部", category=Category.III)
    target = factories.BranchFactory(name="丙党支部", category=Category.I)
    other_target = factories.BranchFactory(name="丁党支部", category=Category.II)
    alice = make_user(roles.INSPECTOR, username="alice", name="王磊", branch=home_a)
    bob = make_user(roles.INSPECTOR, username="bob", name="刘芳", branch=home_b)
    group_a = factories.InspectionGroupFactory(quarter=quarter, name="第一检查组", leader=alice)
    group_a.members.add(alice)
    group_b = factories.InspectionGroupFactory(quarter=quarter, name="第二检查组", leader=bob)
    group_b.members.add(bob)
    sheet = ScoreSheet.objects.create(quarter=quarter, branch=target, group=group_a, version=1)
    other_sheet = ScoreSheet.objects.create(quarter=quarter, branch=other_target, group=group_b, version=1)
    return SimpleNamespace(
        quarter=quarter,
        alice=alice,
        bob=bob,
        group_a=group_a,
        group_b=group_b,
        sheet=sheet,
        other_sheet=other_sheet,
        target=target,
        home_a=home_a,
        home_b=home_b,
        indicators=scheme_for_category(quarter, target.category),
    )


def sheet_post(sheet, indicators, *, values=None, version=None, action="save", methods=None, notes=None, **extra):
    """The POST body of a score sheet: `values` maps indicator code → text typed in the score box."""
    values = values or {}
    data = {
        "version": sheet.version if version is None else version,
        "action": action,
        "problem-TOTAL_FORMS": "0",
        "problem-INITIAL_FORMS": "0",
        "problem-MIN_NUM_FORMS": "0",
        "problem-MAX_NUM_FORMS": "200",
    }
    for indicator in indicators:
        data[f"score_{indicator.pk}"] = values.get(indicator.code, "")
        data[f"note_{indicator.pk}"] = (notes or {}).get(indicator.code, "")
        if methods and indicator.code in methods:
            data[f"methods_{indicator.pk}"] = methods[indicator.code]
    data.update(extra)
    return data


def full_values(indicators, fraction="0.9"):
    from decimal import Decimal

    return {i.code: str((i.max_score * Decimal(fraction)).quantize(Decimal("0.1"))) for i in indicators}

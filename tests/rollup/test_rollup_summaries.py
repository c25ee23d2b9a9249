"""The summary row of a published board holds every total the roll-up pages sum: written with the
publication (boards.publication_parts), and filled in for rows kept before (migration 0002)."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from boards import publication_parts
from rollup.models import QuarterSummary
from tests.rollup.helpers import BAIYIN, Line, add_quarter, province_tree, publish_rows, standard_board

pytestmark = pytest.mark.django_db

fill = importlib.import_module("rollup.migrations.0002_summary_totals").fill


@pytest.fixture
def baiyin():
    units = province_tree()
    before = add_quarter(units[BAIYIN], "2018Q4")
    publish_rows(before, [Line("营销部党支部", "3", "80.00", 2, "blue"), Line("办公室党支部", "3", "81.00", 3, "blue")])
    publication_parts.parts_run(before)
    quarter = add_quarter(units[BAIYIN], "2019Q1")
    publish_rows(quarter, standard_board())
    return quarter


def test_publication_writes_the_totals_the_pages_sum(baiyin):
    publication_parts.parts_run(baiyin)
    s = QuarterSummary.objects.get(pk=baiyin.pk)
    assert (s.branches, s.ranked, s.unscored, s.red_count, s.blue_count) == (9, 8, 1, 3, 4)
    # 营销部 was blue in 2018Q4 too; 办公室 was blue then, but not now.
    assert (s.repeat_blue, s.details["repeat_blue"], s.details["unit_name"]) == (1, ["营销部党支部"], BAIYIN)
    assert (s.ranked_2, s.total_2, s.low_2, s.high_2) == (3, Decimal("269.20"), Decimal("86.00"), Decimal("97.20"))
    assert (s.low_3, s.high_3) == (Decimal("84.50"), Decimal("95.00"))
    # Ⅱ: 86, 86 in [85, 88); 97.2 in [97, ∞). Ⅲ: 84.5 below 85; 91 in [91, 94); 95 in [94, 97).
    assert [getattr(s, f"bin_2_{i}") for i in range(6)] == [0, 2, 0, 0, 0, 1]
    assert [getattr(s, f"bin_3_{i}") for i in range(6)] == [1, 0, 0, 1, 1, 0]


def test_the_migration_fills_the_rows_kept_before_it(baiyin):
    publication_parts.parts_run(baiyin)
    made = QuarterSummary.objects.get(pk=baiyin.pk)
    expected = {f.attname: getattr(made, f.attname) for f in QuarterSummary._meta.concrete_fields}
    # As migration 0001 kept it: the new columns at their defaults, no repeat_blue in the details.
    details = {k: v for k, v in made.details.items() if k != "repeat_blue"}
    blank = {f.attname: f.get_default() for f in QuarterSummary._meta.concrete_fields if f.attname.startswith("bin_")}
    blank |= {f"{kind}_{c}": None for kind in ("low", "high") for c in "123"}
    QuarterSummary.objects.filter(pk=baiyin.pk).update(details=details, repeat_blue=0, **blank)
    fill(apps, None)
    filled = QuarterSummary.objects.get(pk=baiyin.pk)
    assert {f.attname: getattr(filled, f.attname) for f in QuarterSummary._meta.concrete_fields} == expected

"""The demo quarter reproduces the report's red and blue boards and adjustments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boards.selectors import board_compute

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_reports_boards(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        result = board_compute(demo.quarter)
    boards = {c.category: ([r.name for r in c.red], [r.name for r in c.blue]) for c in result}
    assert boards == {
        "1": (["白银变电运检中心党支部"], ["平川区供电公司党总支"]),
        "2": (["电力调度中心党总支部"], ["鸿运物业分公司党支部"]),
        "3": (["财务部党支部"], ["营销部党支部"]),
    }
    adjustments = {r.name: r.adjustment for c in result for r in c.red + c.blue}
    assert adjustments == {
        "白银变电运检中心党支部": Decimal("1.5"),
        "电力调度中心党总支部": Decimal("1.5"),
        "财务部党支部": Decimal("0"),
        "平川区供电公司党总支": Decimal("-1.5"),
        "鸿运物业分公司党支部": Decimal("-1.5"),
        "营销部党支部": Decimal("-0.5"),
    }
    chengqu = next(r for c in result for r in c.ranking if r.name == "城区分公司党支部")
    assert chengqu.total == Decimal("98.00")

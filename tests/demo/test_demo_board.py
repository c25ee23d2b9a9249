"""The demo quarter reproduces the report's red and blue boards and adjustments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boards.selectors import board_compute
from tests.helpers import board_compute_queries

pytestmark = pytest.mark.django_db

# Baiyin's boards are the same in the single-company demo and in the province demo `make run` seeds.
both_demos = pytest.mark.parametrize("which", ["demo", "province_demo"])


@both_demos
def test_the_demo_reproduces_the_reports_boards(which, request, django_assert_max_num_queries):
    demo = request.getfixturevalue(which)
    # board_compute, and the quarter's evaluating unit (whose adjustment table applies)
    with django_assert_max_num_queries(board_compute_queries() + 1):
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


@both_demos
def test_publishing_the_demo_stores_the_reports_boards_and_adjustments(which, request):
    from boards.models import BoardEntry

    demo = request.getfixturevalue(which)
    from boards.services import quarter_publish

    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    rows = BoardEntry.objects.filter(quarter=demo.quarter).exclude(board="").order_by("category", "-board")
    assert [(r.category, r.branch.name, r.board, r.adjustment) for r in rows] == [
        ("1", "白银变电运检中心党支部", "red", Decimal("1.5")),
        ("1", "平川区供电公司党总支", "blue", Decimal("-1.5")),
        ("2", "电力调度中心党总支部", "red", Decimal("1.5")),
        ("2", "鸿运物业分公司党支部", "blue", Decimal("-1.5")),
        ("3", "财务部党支部", "red", Decimal("0")),
        ("3", "营销部党支部", "blue", Decimal("-0.5")),
    ]
    assert BoardEntry.objects.filter(quarter=demo.quarter, status="ranked").count() == 32


def test_the_admin_shows_board_rows_but_does_not_edit_them(demo, client):
    client.force_login(demo.users["admin"])
    for model in ("adjustmentrule", "exclusion", "boardentry"):
        assert client.get(f"/admin/boards/{model}/").status_code == 200
        assert client.get(f"/admin/boards/{model}/add/").status_code == 403

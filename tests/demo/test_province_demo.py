"""The province demo (seed_province_demo): Baiyin under 国网甘肃省电力公司 beside a second city that
published through the real service — and the roll-up's numbers against both units' published boards,
computed here from their BoardEntry rows."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from boards.models import BoardEntry
from boards.services import quarter_publish
from branches.models import Branch, Unit, User
from demo.province import PROVINCE, SECOND_CITY
from rollup.selectors import rollup_for
from scoring.models import Quarter

pytestmark = pytest.mark.django_db

BAIYIN = "国网白银供电公司"


@pytest.fixture
def province(demo):
    call_command("seed_province_demo", verbosity=0)
    return Unit.objects.get(name=PROVINCE)


def board_of(quarter: Quarter) -> dict:
    rows = sorted(BoardEntry.objects.filter(quarter=quarter), key=lambda e: (e.category, e.rank or 0, e.branch_name))
    return {
        "unit": quarter.unit.name,
        "published": True,
        "branches": len(rows),
        "red": [e.branch_name for e in rows if e.board == "red"],
        "blue": [e.branch_name for e in rows if e.board == "blue"],
        "unscored": sum(1 for e in rows if e.status == BoardEntry.Status.UNSCORED),
    }


def rollup_json(code: str) -> dict:
    out = StringIO()
    call_command("rollup", "--unit", PROVINCE, "--quarter", code, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_baiyin_evaluates_under_the_province_beside_a_second_city(province):
    baiyin, dingxi = Unit.objects.get(name=BAIYIN), Unit.objects.get(name=SECOND_CITY)
    assert baiyin.is_evaluating and dingxi.is_evaluating and not province.is_evaluating
    assert baiyin.path.startswith(province.path) and dingxi.path.startswith(province.path)
    shared = set(Branch.objects.filter(evaluating_unit=baiyin).values_list("name", flat=True)) & set(
        Branch.objects.filter(evaluating_unit=dingxi).values_list("name", flat=True)
    )
    assert {"财务部党支部", "办公室党支部", "营销部党支部", "客户服务中心党支部"} <= shared
    assert User.objects.get(username="gansu_dangjian").unit == province
    assert User.objects.get(username="dingxi_dangjian").unit == dingxi


def test_the_rollup_is_each_units_published_board(province):
    for code in ("2018Q4", "2019Q1"):
        data = rollup_json(code)
        expected = [board_of(q) for q in Quarter.objects.filter(code=code, status="published").order_by("unit__path")]
        published = [u for u in data["units"] if u["published"]]
        assert published == expected, code
    # Baiyin's 2019Q1 is still being scored: unpublished, no names.
    baiyin = next(u for u in rollup_json("2019Q1")["units"] if u["unit"] == BAIYIN)
    assert baiyin == {"unit": BAIYIN, "published": False, "branches": 32, "red": [], "blue": [], "unscored": 0}


def test_once_baiyin_publishes_both_cities_show_side_by_side(province):
    quarter = Quarter.objects.get(unit__name=BAIYIN, code="2019Q1")
    quarter_publish(quarter=quarter, user=User.objects.get(username="dangjian"))
    data = rollup_json("2019Q1")
    assert [u["published"] for u in data["units"]] == [True, True]
    assert data["units"][[u["unit"] for u in data["units"]].index(BAIYIN)] == board_of(quarter)
    assert board_of(quarter)["red"] == ["白银变电运检中心党支部", "电力调度中心党总支部", "财务部党支部"]


def test_the_second_citys_repeat_blue_and_rectification_show(province):
    row = {r.name: r for r in rollup_for(province, "2019Q1").rows}[SECOND_CITY]
    assert row.repeat_blue == ["物资供应中心党支部", "营销部党支部"]  # last of Ⅱ and Ⅲ in 2018Q4 and 2019Q1
    assert row.items > 0 and row.accepted > 0 and row.accepted < row.items
    assert row.overdue > 0  # deadlines in 2019 have long passed


def test_the_province_demo_can_be_seeded_again(province):
    before = (Unit.objects.count(), Branch.objects.count(), Quarter.objects.count(), BoardEntry.objects.count())
    call_command("seed_province_demo", verbosity=0)
    assert (Unit.objects.count(), Branch.objects.count(), Quarter.objects.count(), BoardEntry.objects.count()) == before


def test_the_provinces_dept_opens_the_rollup_and_the_citys_does_not(province, client):
    client.force_login(User.objects.get(username="gansu_dangjian"))
    response = client.get(reverse("rollup:index"), follow=True)
    assert response.status_code == 200 and "国网甘肃省电力公司 2019Q1 红蓝榜汇总" in response.content.decode()
    client.force_login(User.objects.get(username="dingxi_dangjian"))
    assert client.get(reverse("rollup:page", args=[province.pk, "2019Q1"])).status_code == 404
    client.force_login(User.objects.get(username="dangjian"))  # Baiyin's 党建部: Baiyin's own only
    assert client.get(reverse("rollup:page", args=[province.pk, "2019Q1"])).status_code == 404
    baiyin = Unit.objects.get(name=BAIYIN)
    assert client.get(reverse("rollup:page", args=[baiyin.pk, "2018Q4"])).status_code == 200

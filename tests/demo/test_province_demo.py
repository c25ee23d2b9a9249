"""The province demo `make run` seeds (seed_demo's default): Baiyin under 国网甘肃省电力公司 beside a
second city that published through the real service — and the roll-up's numbers against both units'
published boards, computed here from their BoardEntry rows."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from boards.models import BoardEntry
from boards.services import quarter_publish
from branches.models import Branch, Unit, User
from demo.organisation import DEMO_PASSWORD
from demo.province import PROVINCE, SECOND_CITY
from rollup.selectors import rollup_for
from scoring.models import Quarter, ScoreSheet

pytestmark = pytest.mark.django_db

BAIYIN = "国网白银供电公司"
ACCOUNTS = ["gansu_dangjian", "gansu_lingdao", "dingxi_dangjian"]


@pytest.fixture
def province(province_demo):
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


def frozen_rows(unit_name: str) -> list[tuple]:
    return list(
        BoardEntry.objects.filter(quarter__unit__name=unit_name)
        .order_by("quarter__code", "category", "rank", "branch_name")
        .values_list("quarter__code", "branch_name", "category", "total", "rank", "board", "adjustment", "status")
    )


def test_baiyin_evaluates_under_the_province_beside_a_second_city(province):
    baiyin, dingxi = Unit.objects.get(name=BAIYIN), Unit.objects.get(name=SECOND_CITY)
    assert baiyin.is_evaluating and dingxi.is_evaluating and not province.is_evaluating
    assert baiyin.path.startswith(province.path) and dingxi.path.startswith(province.path)
    assert Branch.objects.filter(evaluating_unit=baiyin, is_active=True).count() == 32
    assert Branch.objects.filter(evaluating_unit=dingxi, is_active=True).count() == 11
    shared = set(Branch.objects.filter(evaluating_unit=baiyin).values_list("name", flat=True)) & set(
        Branch.objects.filter(evaluating_unit=dingxi).values_list("name", flat=True)
    )
    assert {"财务部党支部", "办公室党支部", "营销部党支部", "客户服务中心党支部"} <= shared
    assert User.objects.get(username="gansu_dangjian").unit == province
    assert User.objects.get(username="gansu_lingdao").unit == province
    assert User.objects.get(username="dingxi_dangjian").unit == dingxi


def test_each_city_has_two_published_quarters_and_2019q1_waiting_to_publish(province):
    for unit in (BAIYIN, SECOND_CITY):
        quarters = dict(Quarter.objects.filter(unit__name=unit).values_list("code", "status"))
        assert quarters == {"2018Q3": "published", "2018Q4": "published", "2019Q1": "scoring"}, unit
        q1 = Quarter.objects.get(unit__name=unit, code="2019Q1")
        assert not q1.sheets.exclude(status=ScoreSheet.Status.SUBMITTED).exists()


def test_the_new_accounts_sign_in_with_the_demo_password(province, client):
    for username in ACCOUNTS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()


def test_baiyins_published_boards_are_the_single_company_demos(demo):
    """seed_demo is the single-company demo plus the province step: that step leaves every frozen
    row of Baiyin's published quarters as it was (tests/demo/test_demo_board.py pins 2019Q1's)."""
    before = frozen_rows(BAIYIN)
    assert len(before) == 64
    call_command("seed_province_demo", verbosity=0)
    assert frozen_rows(BAIYIN) == before


def test_the_rollup_shows_both_cities_published_boards(province):
    for code in ("2018Q3", "2018Q4"):
        data = rollup_json(code)
        expected = [board_of(q) for q in Quarter.objects.filter(code=code, status="published").order_by("unit__path")]
        assert [u["unit"] for u in expected] == [BAIYIN, SECOND_CITY]
        assert data["units"] == expected, code
    # 2019Q1 is still being scored in both: unpublished, no names.
    assert rollup_json("2019Q1")["units"] == [
        {"unit": BAIYIN, "published": False, "branches": 32, "red": [], "blue": [], "unscored": 0},
        {"unit": SECOND_CITY, "published": False, "branches": 11, "red": [], "blue": [], "unscored": 0},
    ]


def test_once_both_publish_2019q1_both_cities_show_side_by_side(province):
    for unit, username in ((BAIYIN, "dangjian"), (SECOND_CITY, "dingxi_dangjian")):
        quarter_publish(
            quarter=Quarter.objects.get(unit__name=unit, code="2019Q1"), user=User.objects.get(username=username)
        )
    data = rollup_json("2019Q1")
    quarters = Quarter.objects.filter(code="2019Q1").order_by("unit__path")
    assert data["units"] == [board_of(q) for q in quarters]
    assert data["units"][0]["red"] == ["白银变电运检中心党支部", "电力调度中心党总支部", "财务部党支部"]
    assert data["units"][0]["blue"] == ["平川区供电公司党总支", "鸿运物业分公司党支部", "营销部党支部"]
    assert data["units"][1]["red"] == ["安定区供电公司党总支", "客户服务中心党支部", "办公室党支部"]
    assert data["units"][1]["blue"] == ["通渭县供电公司党总支", "物资供应中心党支部", "人力资源部党支部"]


def test_the_second_citys_repeat_blue_and_rectification_show(province):
    row = {r.name: r for r in rollup_for(province, "2018Q4").rows}[SECOND_CITY]
    assert row.repeat_blue == ["物资供应中心党支部", "营销部党支部"]  # last of Ⅱ and Ⅲ in 2018Q3 and 2018Q4
    assert row.items > 0 and row.accepted > 0 and row.accepted < row.items
    assert row.overdue > 0  # deadlines in 2019 have long passed


def test_the_province_demo_can_be_seeded_again(province):
    before = (
        Unit.objects.count(),
        Branch.objects.count(),
        User.objects.count(),
        Quarter.objects.count(),
        ScoreSheet.objects.count(),
        BoardEntry.objects.count(),
    )
    call_command("seed_demo", verbosity=0)
    call_command("seed_province_demo", verbosity=0)
    after = (
        Unit.objects.count(),
        Branch.objects.count(),
        User.objects.count(),
        Quarter.objects.count(),
        ScoreSheet.objects.count(),
        BoardEntry.objects.count(),
    )
    assert after == before


def test_the_provinces_rollup_opens_on_the_quarter_both_published(province, client):
    client.force_login(User.objects.get(username="gansu_dangjian"))
    response = client.get(reverse("rollup:index"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "国网甘肃省电力公司 2018Q4 红蓝榜汇总" in page
    assert BAIYIN in page and SECOND_CITY in page and "未发布（" not in page
    client.force_login(User.objects.get(username="gansu_lingdao"))
    assert client.get(reverse("rollup:page", args=[province.pk, "2018Q4"])).status_code == 200
    assert client.get(reverse("rollup:screen", args=[province.pk, "2018Q4"])).status_code == 200


def test_a_citys_dept_reads_its_own_rollup_only(province, client):
    client.force_login(User.objects.get(username="dingxi_dangjian"))
    assert client.get(reverse("rollup:page", args=[province.pk, "2018Q4"])).status_code == 404
    client.force_login(User.objects.get(username="dangjian"))  # Baiyin's 党建部: Baiyin's own only
    assert client.get(reverse("rollup:page", args=[province.pk, "2018Q4"])).status_code == 404
    baiyin = Unit.objects.get(name=BAIYIN)
    assert client.get(reverse("rollup:page", args=[baiyin.pk, "2018Q4"])).status_code == 200
    dingxi = Unit.objects.get(name=SECOND_CITY)
    assert client.get(reverse("rollup:page", args=[dingxi.pk, "2018Q4"])).status_code == 404


def test_the_rectification_overview_shows_the_units_reached_only(province, client):
    """整改总览 once listed every unit's open interviews to any city's 党建部 (the walk of the demo)."""
    from interviews.models import Interview
    from interviews.services import interviews_create_for_quarter

    for quarter in Quarter.objects.filter(unit__name=BAIYIN, status="published"):
        interviews_create_for_quarter(quarter=quarter)  # the follow-up does it on commit under make run
    assert Interview.objects.filter(quarter__unit__name=BAIYIN).exists()

    def listed(username: str) -> set[str]:
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("interviews:overview")).content.decode()
        return {unit for unit in (BAIYIN, SECOND_CITY) for i in Interview.objects.filter(quarter__unit__name=unit)
                if f'href="/interviews/{i.pk}/"' in page}  # fmt: skip

    assert listed("dingxi_dangjian") == {SECOND_CITY}
    assert listed("dangjian") == {BAIYIN}
    assert listed("gansu_dangjian") == {BAIYIN, SECOND_CITY}
    assert listed("gansu_lingdao") == {BAIYIN, SECOND_CITY}

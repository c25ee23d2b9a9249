"""`python manage.py rollup --unit NAME --quarter CODE [--json]`: the issue's JSON, and its errors in Chinese."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.models import Quarter
from tests.rollup.helpers import BAIYIN, DINGXI, PROVINCE, TIANSHUI, Line, add_quarter, province_tree, publish_rows

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("rollup", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def province():
    units = province_tree()
    publish_rows(
        add_quarter(units[BAIYIN], "2019Q2"),
        [
            Line("财务部党支部", "3", "95.00", 1, "red"),
            Line("营销部党支部", "3", "84.50", 2, "blue"),
            Line("平川区供电公司党总支", "1", "96.00", 1, "red"),
            Line("靖远县供电公司党总支", "1", "90.00", 2, "blue"),
            Line("景泰县供电公司党总支", "1", None),
        ],
    )
    publish_rows(
        add_quarter(units[DINGXI], "2019Q2"),
        [Line("财务部党支部", "3", "91.00", 1, "red"), Line("营销部党支部", "3", "88.00", 2, "blue")],
    )
    add_quarter(units[TIANSHUI], "2019Q2", Quarter.Status.SCORING)
    return units


def test_the_json_names_every_evaluating_unit_of_the_subtree(province):
    data = json.loads(run("--unit", PROVINCE, "--quarter", "2019Q2", "--json"))
    assert data["unit"] == PROVINCE and data["quarter"] == "2019Q2"
    assert sorted(data["units"], key=lambda u: u["unit"]) == sorted(
        [
            {
                "unit": BAIYIN,
                "published": True,
                "branches": 5,
                "red": ["平川区供电公司党总支", "财务部党支部"],
                "blue": ["靖远县供电公司党总支", "营销部党支部"],
                "unscored": 1,
            },
            {
                "unit": DINGXI,
                "published": True,
                "branches": 2,
                "red": ["财务部党支部"],
                "blue": ["营销部党支部"],
                "unscored": 0,
            },
            {"unit": TIANSHUI, "published": False, "branches": 0, "red": [], "blue": [], "unscored": 0},
        ],
        key=lambda u: u["unit"],
    )
    assert set(data) == {"unit", "quarter", "units"}


def test_a_city_includes_itself_when_it_evaluates(province):
    data = json.loads(run("--unit", BAIYIN, "--quarter", "2019Q2", "--json"))
    assert [u["unit"] for u in data["units"]] == [BAIYIN]


def test_without_json_it_prints_a_line_per_unit(province):
    text = run("--unit", PROVINCE, "--quarter", "2019Q2")
    assert "考评单位 3 个，已发布 2 个" in text
    assert f"{TIANSHUI}：未发布（评分中）" in text
    assert "红榜 平川区供电公司党总支、财务部党支部" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--unit", "国网不存在供电公司", "--quarter", "2019Q2"), "没有名为“国网不存在供电公司”的单位。"),
        (("--unit", PROVINCE, "--quarter", "2030Q1"), f"“{PROVINCE}”及其下级单位没有季度“2030Q1”。"),
        (("--unit", PROVINCE, "--quarter", "第二季度"), f"“{PROVINCE}”及其下级单位没有季度“第二季度”。"),
    ],
)
def test_unknown_units_and_quarters_are_refused_in_chinese(province, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--json")


def test_a_code_only_another_branch_of_the_tree_has_is_unknown_here(province):
    add_quarter(province[DINGXI], "2019Q3")
    with pytest.raises(CommandError, match="没有季度“2019Q3”"):
        run("--unit", BAIYIN, "--quarter", "2019Q3")

"""Two evaluating units with the same branch names, scored and published independently (issue 17):
each quarter ranks its own unit's branches only — a county's among its city's — and the commands
reach either through --unit."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from boards.models import BoardEntry
from boards.selectors import board_categories
from boards.services import quarter_publish
from branches import roles, units
from scoring.models import Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create
from tests.factories import BranchFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

NAMES = {"1": ["县供电公司党总支", "运检中心党支部"], "3": ["办公室党支部", "财务部党支部"]}
ALL_NAMES = [name for names in NAMES.values() for name in names]


def _score(quarter: Quarter, branches, fractions: dict[str, str]) -> None:
    scores = []
    for branch in branches:
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, status=ScoreSheet.Status.SUBMITTED)
        scores += [
            Score(
                sheet=sheet, indicator=i, value=(i.max_score * Decimal(fractions[branch.name])).quantize(Decimal("0.1"))
            )
            for i in scheme_for_category(quarter, branch.category)
        ]
    Score.objects.bulk_create(scores)


@pytest.fixture
def two_cities():
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    cities = {}
    for city in ("国网白银供电公司", "国网天水供电公司"):
        unit = units.unit_create(name=city, parent=province, is_evaluating=True)
        county = units.unit_create(name=f"{city[2:4]}县供电公司", parent=unit)
        branches = [
            BranchFactory(name=name, category=category, unit=county if name.startswith("县") else unit)
            for category, names in NAMES.items()
            for name in names
        ]
        quarter = quarter_create(code="2019Q1", unit=unit)
        Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.SCORING)
        quarter.refresh_from_db()
        cities[city] = (unit, quarter, branches)
    # Opposite results: 白银's county company comes first, 天水's last.
    _score(
        cities["国网白银供电公司"][1],
        cities["国网白银供电公司"][2],
        dict.fromkeys(ALL_NAMES, "0.9") | {"运检中心党支部": "0.7", "财务部党支部": "0.6"},
    )
    _score(
        cities["国网天水供电公司"][1],
        cities["国网天水供电公司"][2],
        dict.fromkeys(ALL_NAMES, "0.8") | {"县供电公司党总支": "0.5", "办公室党支部": "0.4"},
    )
    for city, (unit, _quarter, _branches) in cities.items():
        make_user(roles.DEPT, username=f"dept-{city}", unit=unit)
    return cities


def _red_blue(quarter: Quarter) -> dict[str, tuple[list[str], list[str]]]:
    return {
        c.category: ([r.name for r in c.red], [r.name for r in c.blue]) for c in board_categories(quarter) if c.ranking
    }


def _dept(quarter: Quarter):
    """The 党建部 of the quarter's own unit: only it publishes the unit's board."""
    from branches.models import User

    return User.objects.get(username=f"dept-{quarter.unit.name}")


def test_each_unit_ranks_only_its_own_branches_and_a_county_among_its_city(two_cities):
    baiyin_unit, baiyin, baiyin_branches = two_cities["国网白银供电公司"]
    tianshui = two_cities["国网天水供电公司"][1]
    county_branch = baiyin_branches[0]
    assert county_branch.unit.get_parent() == baiyin_unit and county_branch.evaluating_unit == baiyin_unit

    assert _red_blue(baiyin) == {
        "1": (["县供电公司党总支"], ["运检中心党支部"]),
        "3": (["办公室党支部"], ["财务部党支部"]),
    }
    assert _red_blue(tianshui) == {
        "1": (["运检中心党支部"], ["县供电公司党总支"]),
        "3": (["财务部党支部"], ["办公室党支部"]),
    }
    ranked = {r.branch_id for c in board_categories(baiyin) for r in c.ranking}
    assert ranked == {b.pk for b in baiyin_branches}


def test_publishing_one_unit_leaves_the_other_as_it_was(two_cities):
    _, baiyin, baiyin_branches = two_cities["国网白银供电公司"]
    _, tianshui, tianshui_branches = two_cities["国网天水供电公司"]
    preview = _red_blue(tianshui)

    quarter_publish(quarter=baiyin, user=_dept(baiyin))
    tianshui.refresh_from_db()
    assert tianshui.status == Quarter.Status.SCORING
    assert set(BoardEntry.objects.filter(quarter=baiyin).values_list("branch_id", flat=True)) == {
        b.pk for b in baiyin_branches
    }
    assert not BoardEntry.objects.filter(quarter=tianshui).exists()

    quarter_publish(quarter=tianshui, user=_dept(tianshui))
    tianshui.refresh_from_db()
    assert _red_blue(tianshui) == preview
    assert set(BoardEntry.objects.filter(quarter=tianshui).values_list("branch_id", flat=True)) == {
        b.pk for b in tianshui_branches
    }


def test_the_board_command_takes_the_unit(two_cities, capsys):
    call_command("board", "--quarter", "2019Q1", "--unit", "国网天水供电公司", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["quarter"] == "2019Q1"
    first = {c["category"]: c["red"] for c in data["categories"]}
    assert first["Ⅰ"] == ["运检中心党支部"]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "有多个考评单位，请指定考评单位（--unit）"),
        (["--unit", "国网陇南供电公司"], "单位“国网陇南供电公司”不存在"),
        (["--unit", "白银县供电公司"], "不是考评单位"),
        (
            ["--unit", "国网甘肃省电力公司"],
            "考评单位“国网甘肃省电力公司”没有季度 2019Q1（季度 2019Q1 属于：国网白银供电公司、国网天水供电公司）",
        ),
    ],
)
def test_the_board_command_explains_a_wrong_unit(two_cities, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("board", "--quarter", "2019Q1", *args)


def test_another_units_dept_cannot_publish(two_cities):
    from django.core.exceptions import PermissionDenied

    _, tianshui, _ = two_cities["国网天水供电公司"]
    baiyin = two_cities["国网白银供电公司"][1]
    with pytest.raises(PermissionDenied, match="只有国网天水供电公司党建部可以发布"):
        quarter_publish(quarter=tianshui, user=_dept(baiyin))


def test_a_branch_cannot_change_unit_while_either_unit_is_scoring(two_cities):
    from django.core.exceptions import ValidationError

    baiyin_unit = two_cities["国网白银供电公司"][0]
    branch = two_cities["国网天水供电公司"][2][1]
    with pytest.raises(ValidationError, match="正在考评（评分中），“运检中心党支部”暂不能移到其他考评单位"):
        units.branch_move(branch=branch, unit=baiyin_unit)

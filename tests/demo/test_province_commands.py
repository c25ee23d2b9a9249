"""The province flow of issue 17 through the commands only, on an empty installation: import_units,
import_branches (two cities with the same branch names), createuser --unit, create_quarter --unit,
export_score_template --unit, import_scores --unit, board --unit --publish, export_report --unit
and rollup --unit --quarter --json — the roll-up's numbers asserted against each city's board."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from branches import roles
from branches.models import Branch, Unit, User
from scoring.models import Quarter

pytestmark = pytest.mark.django_db

PROVINCE, BAIYIN, DINGXI = "国网甘肃省电力公司", "国网白银供电公司", "国网定西供电公司"
UNITS = [
    (PROVINCE, "", "否"),
    (BAIYIN, PROVINCE, "是"),
    ("白银供电公司本部", BAIYIN, "否"),
    ("靖远县供电公司", BAIYIN, "否"),
    (DINGXI, PROVINCE, "是"),
    ("定西供电公司本部", DINGXI, "否"),
    ("安定区供电公司", DINGXI, "否"),
]
SAME_NAMES = ["办公室党支部", "财务部党支部", "营销部党支部"]
BRANCHES = [
    ("靖远县供电公司党总支", "Ⅰ", "党总支", "靖远县供电公司"),
    ("城区分公司党支部", "Ⅰ", "党支部", "白银供电公司本部"),
    *[(name, "Ⅲ", "党支部", "白银供电公司本部") for name in SAME_NAMES],
    ("安定区供电公司党总支", "Ⅰ", "党总支", "安定区供电公司"),
    ("内官营供电所党支部", "Ⅰ", "党支部", "安定区供电公司"),
    *[(name, "Ⅲ", "党支部", "定西供电公司本部") for name in SAME_NAMES],
]
# Points each branch loses on its first indicator: the same names, opposite orders in the two cities.
LOSSES = {
    BAIYIN: {
        "靖远县供电公司党总支": "0.5",
        "城区分公司党支部": "1.5",
        "办公室党支部": "0",
        "财务部党支部": "1",
        "营销部党支部": "3",
    },
    DINGXI: {
        "安定区供电公司党总支": "2",
        "内官营供电所党支部": "0.3",
        "办公室党支部": "2.5",
        "财务部党支部": "1",
        "营销部党支部": "0",
    },
}
DEPTS = {BAIYIN: "by_dangjian", DINGXI: "dx_dangjian"}


def run(*args, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def sheet(path, headers, rows) -> str:
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return str(path)


def fill(path, losses: dict[str, str]) -> None:
    wb = load_workbook(path)
    for ws in wb.worksheets:
        maxima = [c.value for c in ws[2]][1:]
        for row in ws.iter_rows(min_row=3):
            loss = Decimal(losses[row[0].value])
            for index, maximum in enumerate(maxima, start=1):
                row[index].value = float(Decimal(str(maximum)) - (loss if index == 1 else 0))
    wb.save(path)


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Units, branches and the two cities' 党建部, all through the commands."""
    run("sync_roles")
    run("import_units", sheet(tmp_path / "units.xlsx", ["单位名称", "上级单位", "考评单位"], UNITS))
    run(
        "import_branches",
        sheet(
            tmp_path / "branches.xlsx",
            ["组织名称", "类别", "组织类型", "上级组织", "所属单位"],
            [(n, c, k, "", u) for n, c, k, u in BRANCHES],
        ),
    )
    for city, username in DEPTS.items():
        run(
            "createuser", username, "--name", f"{city[2:4]}党建部", "--role", roles.DEPT, "--unit", city,
            "--password-stdin", stdin="Correct-Horse-2019\n", monkeypatch=monkeypatch,
        )  # fmt: skip
    return tmp_path


def city_quarter(city: str, tmp_path) -> dict:
    """One city's quarter through the commands: created and opened, the template exported, filled,
    imported and submitted, published; returns `board --json` of the published board."""
    run("create_quarter", "2019Q1", "--unit", city, "--open")
    template = tmp_path / f"{city}-template.xlsx"
    run("export_score_template", "--unit", city, "--quarter", "2019Q1", str(template))
    fill(template, LOSSES[city])
    run("import_scores", "--unit", city, "--quarter", "2019Q1", "--submit", str(template))
    run("board", "--unit", city, "--quarter", "2019Q1", "--publish", "--user", DEPTS[city])
    return json.loads(run("board", "--unit", city, "--quarter", "2019Q1", "--json"))


def test_the_province_flow_through_the_commands(installed):
    tmp_path = installed
    province = Unit.objects.get(name=PROVINCE)
    assert not province.is_evaluating
    for name in SAME_NAMES:
        assert set(Branch.objects.filter(name=name).values_list("evaluating_unit__name", flat=True)) == {BAIYIN, DINGXI}
    for city, username in DEPTS.items():
        assert User.objects.get(username=username).unit.name == city

    boards = {city: city_quarter(city, tmp_path) for city in (BAIYIN, DINGXI)}
    assert all(b["published"] for b in boards.values())
    red = {city: [n for c in b["categories"] for n in c["red"]] for city, b in boards.items()}
    blue = {city: [n for c in b["categories"] for n in c["blue"]] for city, b in boards.items()}
    assert red == {BAIYIN: ["靖远县供电公司党总支", "办公室党支部"], DINGXI: ["内官营供电所党支部", "营销部党支部"]}
    assert blue == {BAIYIN: ["城区分公司党支部", "营销部党支部"], DINGXI: ["安定区供电公司党总支", "办公室党支部"]}

    rollup = json.loads(run("rollup", "--unit", PROVINCE, "--quarter", "2019Q1", "--json"))
    assert rollup["unit"] == PROVINCE and rollup["quarter"] == "2019Q1"
    assert rollup["units"] == [
        {
            "unit": city,
            "published": True,
            "branches": sum(len(c["ranking"]) + len(c["unscored"]) for c in board["categories"]),
            "red": red[city],
            "blue": blue[city],
            "unscored": sum(len(c["unscored"]) for c in board["categories"]),
        }
        for city, board in boards.items()
    ]
    assert [u["branches"] for u in rollup["units"]] == [5, 5]

    own = {
        city: {n for n, _, _, u in BRANCHES if Unit.objects.get(name=u).evaluating_unit.name == city} for city in boards
    }
    for city, board in boards.items():
        path = tmp_path / f"{city}-board.xlsx"
        run("export_report", "board", "--unit", city, "--quarter", "2019Q1", str(path))
        cells = {c.value for ws in load_workbook(path, read_only=True).worksheets for r in ws.iter_rows() for c in r}
        assert {r["branch"] for c in board["categories"] for r in c["ranking"]} == own[city]
        other = next(c for c in boards if c != city)
        assert own[city] <= cells and not ((own[other] - own[city]) & cells), city


def test_with_two_cities_the_commands_ask_for_the_unit(installed):
    run("create_quarter", "2019Q1", "--unit", BAIYIN)
    with pytest.raises(CommandError, match="有多个考评单位，请指定考评单位（--unit）"):
        run("board", "--quarter", "2019Q1")
    with pytest.raises(CommandError, match="国网定西供电公司”没有季度 2019Q1"):
        run("export_score_template", "--unit", DINGXI, "--quarter", "2019Q1", str(installed / "t.xlsx"))
    with pytest.raises(CommandError, match="不是考评单位"):
        run("create_quarter", "2019Q2", "--unit", PROVINCE)
    assert Quarter.objects.count() == 1


def test_a_name_repeated_within_one_city_is_refused_and_nothing_is_written(installed):
    before = Branch.objects.count()
    rows = [("综合党支部", "Ⅲ", "党支部", "", "白银供电公司本部"), ("综合党支部", "Ⅲ", "党支部", "", "靖远县供电公司")]
    path = sheet(installed / "again.xlsx", ["组织名称", "类别", "组织类型", "上级组织", "所属单位"], rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="没有写入任何数据"):
        call_command("import_branches", path, stdout=io.StringIO(), stderr=err)
    assert "综合党支部" in err.getvalue()
    assert Branch.objects.count() == before

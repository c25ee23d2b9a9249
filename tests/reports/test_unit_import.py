"""import_units (issue 17): the unit tree from Excel — 单位名称, 上级单位 (empty for a root), 考评单位
(是/否). Every problem with its row, nothing written on any; a re-import updates."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from branches import units
from branches.models import Unit
from reports.imports import ImportRejected
from reports.imports.units import units_import
from scoring.services import quarter_create
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db

HEADERS = ["单位名称", "上级单位", "考评单位"]
PROVINCE = [
    ("国网甘肃省电力公司", "", "是"),
    ("省公司本部", "国网甘肃省电力公司", "否"),
    ("国网白银供电公司", "国网甘肃省电力公司", "是"),
    ("靖远县供电公司", "国网白银供电公司", "否"),
    ("国网天水供电公司", "国网甘肃省电力公司", "是"),
]


def unit_list(*rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位名单"
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def tree() -> set[tuple]:
    return {
        (u.name, parent.name if (parent := u.get_parent()) else "", u.is_evaluating, u.evaluating_unit.name)
        for u in Unit.objects.select_related("evaluating_unit")
    }


def test_the_tree_is_imported_with_its_evaluating_units():
    result = units_import(source=unit_list(*PROVINCE))
    assert (result.created, result.updated, result.evaluating) == (5, 0, 3)
    assert tree() == {
        ("国网甘肃省电力公司", "", True, "国网甘肃省电力公司"),
        ("省公司本部", "国网甘肃省电力公司", False, "国网甘肃省电力公司"),
        ("国网白银供电公司", "国网甘肃省电力公司", True, "国网白银供电公司"),
        ("靖远县供电公司", "国网白银供电公司", False, "国网白银供电公司"),
        ("国网天水供电公司", "国网甘肃省电力公司", True, "国网天水供电公司"),
    }
    assert Unit.find_problems() == ([], [], [], [], [])


def test_children_may_come_before_their_parents_in_the_file():
    units_import(source=unit_list(*reversed(PROVINCE)))
    assert Unit.objects.get(name="靖远县供电公司").get_parent().name == "国网白银供电公司"


def test_a_re_import_updates_moves_and_keeps_branches_with_their_units():
    units_import(source=unit_list(*PROVINCE))
    branch = BranchFactory(unit=Unit.objects.get(name="靖远县供电公司"))
    moved = [*PROVINCE[:3], ("靖远县供电公司", "国网天水供电公司", "否"), PROVINCE[4]]
    result = units_import(source=unit_list(*moved))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    branch.refresh_from_db()
    assert branch.evaluating_unit.name == "国网天水供电公司"
    assert Unit.objects.count() == 5


def test_the_single_company_root_of_today_moves_under_the_imported_province(settings):
    settings.COMPANY_NAME = "国网白银供电公司"
    branch = BranchFactory(unit=Unit.objects.create(name="平川区供电公司"))
    quarter = quarter_create(code="2019Q1")
    units_import(source=unit_list(*PROVINCE))
    root = Unit.objects.get(name="国网白银供电公司")
    assert root.get_parent().name == "国网甘肃省电力公司"
    branch.refresh_from_db()
    assert (branch.unit.get_parent(), branch.evaluating_unit) == (root, root)
    quarter.refresh_from_db()
    assert quarter.unit == root
    assert not units.is_single_company()


def test_every_problem_is_listed_with_its_row_and_nothing_is_written():
    rows = [
        ("国网甘肃省电力公司", "", "是"),
        ("", "国网甘肃省电力公司", "否"),
        ("国网白银供电公司", "国网陇南供电公司", "是"),
        ("国网天水供电公司", "国网甘肃省电力公司", "也许"),
        ("国网甘肃省电力公司", "", "是"),
        ("甲", "乙", "否"),
        ("乙", "甲", "否"),
        ("丙", "丙", "否"),
    ]
    with pytest.raises(ImportRejected) as caught:
        units_import(source=unit_list(*rows))
    messages = [str(i) for i in caught.value.issues]
    assert "工作表“单位名单” 第 3 行 A（单位名称） 列：不能为空。" in messages
    assert "工作表“单位名单” 第 5 行 C（考评单位） 列：考评单位应填“是”或“否”，不能是“也许”。" in messages
    text = "\n".join(messages)
    assert "第 4 行 B（上级单位） 列：上级单位“国网陇南供电公司”不存在" in text
    assert "第 6 行：单位“国网甘肃省电力公司”重复出现（第 2 行已有）" in text
    assert "第 7 行 B（上级单位） 列：单位“甲”的上级关系形成循环" in text
    assert "第 8 行 B（上级单位） 列：单位“乙”的上级关系形成循环" in text
    assert "第 9 行 B（上级单位） 列：上级单位不能是它自己" in text
    assert not Unit.objects.exists()


def test_missing_headers_are_named():
    with pytest.raises(ImportRejected, match="缺少表头：考评单位"):
        units_import(source=unit_list(("国网甘肃省电力公司", ""), headers=["单位名称", "上级单位"]))


def test_an_evaluating_unit_with_quarters_cannot_stop_evaluating():
    units_import(source=unit_list(*PROVINCE))
    quarter_create(code="2019Q1", unit=Unit.objects.get(name="国网天水供电公司"))
    with pytest.raises(ImportRejected, match="第 6 行 C（考评单位） 列：单位“国网天水供电公司”已有考评季度"):
        units_import(source=unit_list(*PROVINCE[:4], ("国网天水供电公司", "国网甘肃省电力公司", "否")))
    assert Unit.objects.get(name="国网天水供电公司").is_evaluating


def test_a_tree_leaving_branches_without_an_evaluating_unit_is_refused():
    units_import(source=unit_list(("总部", "", "否"), ("某公司", "总部", "是")))
    BranchFactory(unit=Unit.objects.get(name="某公司"))
    with pytest.raises(ImportRejected, match="将无人考评"):
        units_import(source=unit_list(("总部", "", "否"), ("某公司", "总部", "否")))
    assert Unit.objects.get(name="某公司").is_evaluating


def test_a_unit_moved_below_itself_is_refused():
    units_import(source=unit_list(*PROVINCE))
    with pytest.raises(ImportRejected, match="不能移到其自身或下级单位"):
        units_import(source=unit_list(("国网白银供电公司", "靖远县供电公司", "是")))


def test_the_command_prints_every_problem_and_fails(tmp_path, capsys):
    path = tmp_path / "units.xlsx"
    path.write_bytes(unit_list(("国网白银供电公司", "国网陇南供电公司", "是"), ("", "", "否")).getvalue())
    with pytest.raises(CommandError, match="发现 2 个问题，没有写入任何数据"):
        call_command("import_units", str(path))
    err = capsys.readouterr().err
    assert "第 2 行" in err and "第 3 行" in err
    assert not Unit.objects.exists()


def test_the_command_imports(tmp_path, capsys):
    path = tmp_path / "units.xlsx"
    path.write_bytes(unit_list(*PROVINCE).getvalue())
    call_command("import_units", str(path))
    assert "新建 5 个单位" in capsys.readouterr().out
    call_command("import_units", str(path))
    assert "未变 5 个" in capsys.readouterr().out
    assert settings.COMPANY_NAME

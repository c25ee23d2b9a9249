"""The branch list import: columns, aliases, units created on first mention, names updated not duplicated."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from branches.models import Branch, Category, Unit
from reports.imports import ImportRejected, branches_import, parse_category
from tests.factories import BranchFactory, UnitFactory
from tests.reports.helpers import workbook_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["组织名称", "类别", "组织类型", "上级组织", "所属单位"]


def branch_list(*rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "党组织名单"
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    return wb


def snapshot():
    return (
        sorted(Branch.objects.values_list("name", "category", "kind", "unit__name", "parent__name")),
        sorted(Unit.objects.values_list("name", flat=True)),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ⅰ", "1"),
        ("Ⅱ", "2"),
        ("Ⅲ", "3"),
        ("I", "1"),
        ("II", "2"),
        ("III", "3"),
        ("1", "1"),
        ("2", "2"),
        ("3", "3"),
        ("ii", "2"),
        ("Ⅲ类", "3"),
        ("３", "3"),
        ("IV", None),
        ("4", None),
        ("一", None),
    ],
)
def test_the_category_accepts_the_issues_aliases(raw, expected):
    assert parse_category(raw) == expected


def test_a_branch_list_creates_branches_units_and_parents(db):
    wb = branch_list(
        ["靖远县供电公司党总支", "Ⅰ", "党总支", None, "靖远县供电公司"],
        ["靖远县供电公司乌兰供电所党支部", "I", "党支部", "靖远县供电公司党总支", "靖远县供电公司"],
        ["客户服务中心党支部", 2, "党支部", "", "客户服务中心"],
        ["财务部党支部", "III", "党支部", None, "财务部"],
    )
    result = branches_import(source=workbook_bytes(wb))
    assert (result.created, result.updated, result.units_created) == (4, 0, 3)
    child = Branch.objects.get(name="靖远县供电公司乌兰供电所党支部")
    assert (child.category, child.kind, child.unit.name) == (Category.I, Branch.Kind.BRANCH, "靖远县供电公司")
    assert child.parent.name == "靖远县供电公司党总支"
    assert child.parent.kind == Branch.Kind.GENERAL
    assert Branch.objects.get(name="客户服务中心党支部").category == Category.II
    assert Branch.objects.get(name="财务部党支部").category == Category.III


def test_existing_names_are_updated_not_duplicated(db):
    old_unit = UnitFactory(name="旧单位")
    BranchFactory(name="营销部党支部", category=Category.I, unit=old_unit)
    wb = branch_list(["营销部党支部", "3", "党支部", None, "营销部"])
    result = branches_import(source=workbook_bytes(wb))
    assert (result.created, result.updated, result.units_created) == (0, 1, 1)
    branch = Branch.objects.get(name="营销部党支部")
    assert (branch.category, branch.unit.name) == (Category.III, "营销部")
    assert Branch.objects.filter(name="营销部党支部").count() == 1
    # Importing the same list again changes nothing.
    before = snapshot()
    result = branches_import(source=workbook_bytes(wb))
    assert (result.created, result.updated, result.units_created) == (0, 1, 0)
    assert snapshot() == before


def test_columns_may_come_in_any_order_and_the_parent_column_may_be_missing(db):
    wb = branch_list(["财务部", "党支部", "财务部党支部", "Ⅲ"], headers=["所属单位", "组织类型", "组织名称", "类别"])
    branches_import(source=workbook_bytes(wb))
    assert Branch.objects.get(name="财务部党支部").unit.name == "财务部"


def test_a_parent_already_in_the_portal_is_found(db):
    parent = BranchFactory(name="会宁县供电公司党总支", kind=Branch.Kind.GENERAL)
    branches_import(
        source=workbook_bytes(branch_list(["会宁县供电公司城关供电所党支部", "1", "党支部", parent.name, "会宁"]))
    )
    assert Branch.objects.get(name="会宁县供电公司城关供电所党支部").parent == parent


def rejected(wb):
    before = snapshot()
    with pytest.raises(ImportRejected) as info:
        branches_import(source=workbook_bytes(wb))
    assert snapshot() == before, "a rejected list must write nothing"
    return info.value.issues


def test_every_problem_is_listed_and_nothing_is_written(db):
    BranchFactory(name="财务部党支部", kind=Branch.Kind.BRANCH)
    wb = branch_list(
        ["好支部", "Ⅰ", "党支部", None, "新单位"],  # fine on its own: must not be written either
        ["", "Ⅰ", "党支部", None, "某单位"],
        ["甲支部", "Ⅳ", "党支部", None, "某单位"],
        ["乙支部", "2", "支委会", None, "某单位"],
        ["丙支部", "2", "党支部", "不存在的总支", "某单位"],
        ["丁支部", "2", "党支部", "财务部党支部", "某单位"],
        ["好支部", "Ⅰ", "党支部", None, "新单位"],
        ["戊支部", "=A1", "党支部", None, "某单位"],
        ["己支部", "3", "党支部", None, None],
    )
    issues = rejected(wb)
    messages = [(i.row, i.message) for i in issues]
    assert (3, "不能为空。") in messages
    assert any(row == 4 and "类别“Ⅳ”无法识别" in m for row, m in messages)
    assert any(row == 5 and "组织类型“支委会”无法识别" in m for row, m in messages)
    assert any(row == 6 and "不存在的总支" in m for row, m in messages)
    assert any(row == 7 and "不是党总支" in m for row, m in messages)
    assert any(row == 8 and "重复出现" in m for row, m in messages)
    assert any(row == 9 and "公式" in m for row, m in messages)
    assert (10, "不能为空。") in messages
    assert all(i.sheet == "党组织名单" for i in issues)
    assert not Branch.objects.filter(name="好支部").exists()


def test_missing_headers_are_named(db):
    issues = rejected(branch_list(["甲支部", "1"], headers=["组织名称", "类别"]))
    assert "组织类型、所属单位" in issues[0].message


def test_merged_cells_are_refused(db):
    wb = branch_list(["甲支部", "1", "党支部", None, "甲单位"], ["乙支部", "1", "党支部", None, "甲单位"])
    wb.active.merge_cells("E2:E3")
    assert "合并单元格" in rejected(wb)[0].message


def test_the_command_imports_and_reports(db, tmp_path, capsys):
    path = tmp_path / "branches.xlsx"
    branch_list(["甲支部", "1", "党支部", None, "甲单位"]).save(path)
    call_command("import_branches", str(path))
    assert "新建 1 个党组织" in capsys.readouterr().out
    branch_list(["乙支部", "9", "党支部", None, "甲单位"]).save(path)
    with pytest.raises(CommandError, match="发现 1 个问题"):
        call_command("import_branches", str(path))
    assert "第 2 行" in capsys.readouterr().err
    assert not Branch.objects.filter(name="乙支部").exists()


def test_the_current_list_downloads_in_the_import_format_and_imports_back_unchanged(client, demo):
    from django.urls import reverse

    from tests.reports.helpers import reopen

    client.force_login(demo.users["admin"])
    response = client.get(reverse("reports:branch_list_download"))
    assert response.status_code == 200
    wb = reopen(response.content)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["组织名称", "类别", "组织类型", "上级组织", "所属单位"]
    assert ws.max_row - 1 == Branch.objects.count()
    child = Branch.objects.filter(parent__isnull=False).select_related("parent", "unit").first()
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == child.name)
    assert row == (child.name, child.category_symbol, child.get_kind_display(), child.parent.name, child.unit.name)
    before = snapshot()
    result = branches_import(source=io.BytesIO(response.content))
    assert (result.created, result.updated, result.units_created) == (0, Branch.objects.count(), 0)
    assert snapshot() == before


@pytest.mark.parametrize("username", ["lingdao", "shuji", "jiancha1"])
def test_only_admins_and_the_dept_download_the_branch_list(client, demo, username):
    from django.urls import reverse

    client.force_login(demo.users[username])
    assert client.get(reverse("reports:branch_list_download")).status_code == 403

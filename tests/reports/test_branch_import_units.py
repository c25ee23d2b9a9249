"""import_branches against an imported unit tree (issue 17): 所属单位 names a unit of the tree, a
name is unique within its evaluating unit (not across the tree), 上级组织 within the same unit."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from branches.models import Branch, Unit
from reports.imports import ImportRejected, branches_import
from reports.imports.units import units_import
from tests.reports.test_unit_import import PROVINCE, unit_list

pytestmark = pytest.mark.django_db

HEADERS = ["组织名称", "类别", "组织类型", "上级组织", "所属单位"]


def branch_list(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "党组织名单"
    ws.append(HEADERS)
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def province():
    units_import(source=unit_list(*PROVINCE))


def test_the_same_names_in_two_cities_are_two_branches(province):
    rows = [
        ("办公室党支部", "Ⅲ", "党支部", "", "国网白银供电公司"),
        ("办公室党支部", "Ⅲ", "党支部", "", "国网天水供电公司"),
        ("靖远县供电公司党总支", "Ⅰ", "党总支", "", "靖远县供电公司"),
        ("靖远县供电公司第一党支部", "Ⅰ", "党支部", "靖远县供电公司党总支", "靖远县供电公司"),
    ]
    result = branches_import(source=branch_list(*rows))
    assert (result.created, result.units_created) == (4, 0)
    assert set(Branch.objects.values_list("name", "evaluating_unit__name")) == {
        ("办公室党支部", "国网白银供电公司"),
        ("办公室党支部", "国网天水供电公司"),
        ("靖远县供电公司党总支", "国网白银供电公司"),
        ("靖远县供电公司第一党支部", "国网白银供电公司"),
    }
    child = Branch.objects.get(name="靖远县供电公司第一党支部")
    assert child.parent.name == "靖远县供电公司党总支"

    # Again, with one category changed: updated in its own unit only.
    rows[1] = ("办公室党支部", "Ⅱ", "党支部", "", "国网天水供电公司")
    result = branches_import(source=branch_list(*rows))
    assert (result.created, result.updated) == (0, 4)
    assert Branch.objects.get(name="办公室党支部", evaluating_unit__name="国网天水供电公司").category == "2"
    assert Branch.objects.get(name="办公室党支部", evaluating_unit__name="国网白银供电公司").category == "3"


def test_a_branch_moved_within_its_evaluating_unit_is_updated_not_duplicated(province):
    branches_import(source=branch_list(("靖远县供电公司党总支", "Ⅰ", "党总支", "", "国网白银供电公司")))
    branches_import(source=branch_list(("靖远县供电公司党总支", "Ⅰ", "党总支", "", "靖远县供电公司")))
    assert Branch.objects.get().unit.name == "靖远县供电公司"


def test_every_problem_of_a_tree_import_is_listed_and_nothing_written(province):
    rows = [
        ("办公室党支部", "Ⅲ", "党支部", "", "国网白银供电公司"),
        ("办公室党支部", "Ⅲ", "党支部", "", "靖远县供电公司"),  # 白银 evaluates 靖远 too
        ("某支部", "Ⅲ", "党支部", "", "国网陇南供电公司"),
        ("天水党总支", "Ⅰ", "党总支", "", "国网天水供电公司"),
        ("白银某支部", "Ⅰ", "党支部", "天水党总支", "国网白银供电公司"),  # a parent in another unit
    ]
    with pytest.raises(ImportRejected) as caught:
        branches_import(source=branch_list(*rows))
    text = "\n".join(str(i) for i in caught.value.issues)
    assert "第 3 行：“办公室党支部”重复出现（第 2 行已有），同一考评单位内党组织名称不能重复" in text
    assert "第 4 行 E（所属单位） 列：所属单位“国网陇南供电公司”不在单位树中" in text
    assert "第 6 行 D（上级组织） 列：上级组织“天水党总支”不存在" in text
    assert not Branch.objects.exists()
    assert Unit.objects.count() == len(PROVINCE)

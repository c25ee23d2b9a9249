"""import_branches against an imported unit tree (issue 17): 所属单位 names a unit of the tree, a
name is unique within its evaluating unit (not across the tree), 上级组织 within the same unit."""

from __future__ import annotations

import io
import re

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


# A unit's 党建部 imports the branches of its own subtree (issue 17), in the browser; the admin anywhere.


def _upload(client, *rows):
    upload = branch_list(*rows)
    upload.name = "党组织名单.xlsx"
    return client.post("/reports/imports/branches/", {"file": upload})


def test_a_citys_dangjian_imports_its_own_branches_and_nothing_outside(client, province):
    from branches import roles
    from tests.helpers import make_user

    baiyin = Unit.objects.get(name="国网白银供电公司")
    client.force_login(make_user(roles.DEPT, username="by_dept", unit=baiyin))
    page = client.get("/reports/imports/branches/")
    assert page.status_code == 200 and "您只能导入本单位“国网白银供电公司”及其下级单位的党组织" in page.content.decode()
    response = _upload(
        client,
        ("办公室党支部", "Ⅲ", "党支部", "", "国网白银供电公司"),
        ("靖远县供电公司党总支", "Ⅰ", "党总支", "", "靖远县供电公司"),  # a county below 白银: its own
    )
    assert response.status_code == 302
    assert set(Branch.objects.values_list("name", "evaluating_unit__name")) == {
        ("办公室党支部", "国网白银供电公司"),
        ("靖远县供电公司党总支", "国网白银供电公司"),
    }
    # A row for a sibling city: the whole file refused, named by row, nothing written.
    response = _upload(
        client,
        ("财务部党支部", "Ⅲ", "党支部", "", "国网白银供电公司"),
        ("办公室党支部", "Ⅱ", "党支部", "", "国网天水供电公司"),
    )
    body = response.content.decode()
    assert (
        response.status_code == 200 and "所属单位“国网天水供电公司”不在本单位（国网白银供电公司）及其下级单位中" in body
    )
    assert re.search(r"<td[^>]*>\s*3\s*</td>", body)  # the row, in the problem table
    assert Branch.objects.count() == 2 and not Branch.objects.filter(name="财务部党支部").exists()
    # The current list to edit holds its own subtree only.
    from tests.factories import BranchFactory

    BranchFactory(name="天水的支部", unit=Unit.objects.get(name="国网天水供电公司"))
    listing = client.get("/reports/imports/branches/current.xlsx")
    from openpyxl import load_workbook

    names = {row[0] for row in load_workbook(io.BytesIO(listing.content)).active.iter_rows(min_row=2, values_only=True)}
    assert names == {"办公室党支部", "靖远县供电公司党总支"}


def test_the_provinces_dangjian_imports_for_every_city_below(client, province):
    from branches import roles
    from tests.helpers import make_user

    client.force_login(make_user(roles.DEPT, username="gs_dept", unit=Unit.objects.get(name="国网甘肃省电力公司")))
    response = _upload(
        client,
        ("办公室党支部", "Ⅲ", "党支部", "", "国网白银供电公司"),
        ("办公室党支部", "Ⅲ", "党支部", "", "国网天水供电公司"),
    )
    assert response.status_code == 302 and Branch.objects.count() == 2


@pytest.mark.parametrize("role", ["检查组成员", "支部书记", "党委领导"])
def test_other_roles_may_not_import_branches(client, province, role):
    from tests.helpers import make_user

    client.force_login(make_user(role, username="someone", unit=Unit.objects.get(name="国网白银供电公司")))
    assert client.get("/reports/imports/branches/").status_code == 403
    assert _upload(client, ("办公室党支部", "Ⅲ", "党支部", "", "国网白银供电公司")).status_code == 403
    assert client.get("/reports/imports/branches/current.xlsx").status_code == 403
    assert not Branch.objects.exists()

"""Moving units keeps every branch's evaluating unit right, whichever way the tree changes (issue 17):
the admin's drag and drop (treebeard's move view), the admin's change form (its place and 考评单位),
and the unit import's re-parenting — all through branches.units (unit_move, unit_update,
unit_change_refusal). A change that would move branches to another evaluating unit while a quarter
of either is being scored is refused with the reason, and nothing moves."""

from __future__ import annotations

import pytest

from branches import units
from branches.models import Branch, Unit
from reports.imports import ImportRejected
from reports.imports.units import units_import
from scoring.models import Quarter
from scoring.services import quarter_create
from tests.factories import BranchFactory
from tests.reports.test_unit_import import unit_list

pytestmark = pytest.mark.django_db

MOVE = "/admin/branches/unit/move/"


@pytest.fixture
def tree():
    """甘肃 (evaluates) → 白银, 天水 (evaluate), 省公司本部; 靖远 (does not) under 白银, with a branch."""
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    office = units.unit_create(name="省公司本部", parent=province)
    jingyuan = units.unit_create(name="靖远县供电公司", parent=baiyin)
    branch = BranchFactory(name="靖远县供电公司党总支", unit=jingyuan)
    return type("Tree", (), dict(locals()))


def scoring(unit: Unit) -> Quarter:
    quarter = quarter_create(code="2019Q1", unit=unit)
    Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.SCORING)
    return quarter


def evaluated_by(branch: Branch) -> str:
    return Branch.objects.select_related("evaluating_unit").get(pk=branch.pk).evaluating_unit.name


def placed(unit: Unit) -> tuple[str, str]:
    unit = Unit.objects.select_related("evaluating_unit").get(pk=unit.pk)
    return units.parent_of(unit).name, unit.evaluating_unit.name


def test_a_drag_under_another_city_takes_the_branches_to_its_board(client, admin_user, tree):
    client.force_login(admin_user)
    response = client.post(MOVE, {"node": tree.jingyuan.pk, "target": tree.tianshui.pk, "relation": "child"})
    assert response.status_code == 200
    assert placed(tree.jingyuan) == ("国网天水供电公司", "国网天水供电公司")
    assert evaluated_by(tree.branch) == "国网天水供电公司"
    assert Unit.find_problems() == ([], [], [], [], [])


def test_a_drag_beside_a_unit_goes_under_that_units_parent(client, admin_user, tree):
    client.force_login(admin_user)
    response = client.post(MOVE, {"node": tree.jingyuan.pk, "target": tree.office.pk, "relation": "sibling"})
    assert response.status_code == 200
    assert placed(tree.jingyuan) == ("国网甘肃省电力公司", "国网甘肃省电力公司")
    assert evaluated_by(tree.branch) == "国网甘肃省电力公司"


def change(client, unit: Unit, *, ref: Unit | None, position: str, evaluating: bool):
    data = {
        "name": unit.name,
        "treebeard_position": position,
        "treebeard_ref_node": ref.pk if ref else "",
        "_save": "1",
    }
    if evaluating:
        data["is_evaluating"] = "on"
    return client.post(f"/admin/branches/unit/{unit.pk}/change/", data)


def test_the_change_form_moves_and_makes_evaluating_units(client, admin_user, tree):
    client.force_login(admin_user)
    assert change(client, tree.jingyuan, ref=tree.tianshui, position="first-child", evaluating=False).status_code == 302
    assert evaluated_by(tree.branch) == "国网天水供电公司"
    assert change(client, tree.jingyuan, ref=tree.tianshui, position="first-child", evaluating=True).status_code == 302
    assert placed(tree.jingyuan) == ("国网天水供电公司", "靖远县供电公司")
    assert evaluated_by(tree.branch) == "靖远县供电公司"


def test_a_drag_that_would_take_branches_out_of_a_quarter_being_scored_is_refused(client, admin_user, tree):
    scoring(tree.baiyin)
    client.force_login(admin_user)
    response = client.post(MOVE, {"node": tree.jingyuan.pk, "target": tree.tianshui.pk, "relation": "child"})
    assert response.status_code == 400
    reason = response.content.decode()
    assert "单位“靖远县供电公司”不能这样调整" in reason and "国网白银供电公司的季度 2019Q1 正在考评" in reason
    assert placed(tree.jingyuan) == ("国网白银供电公司", "国网白银供电公司")
    assert evaluated_by(tree.branch) == "国网白银供电公司"
    shown = client.get("/admin/branches/unit/").content.decode()  # the page reloads and shows why
    assert "国网白银供电公司的季度 2019Q1 正在考评" in shown


def test_the_change_form_refuses_it_too_with_the_reason(client, admin_user, tree):
    scoring(tree.tianshui)  # the branches would join 天水 while it scores
    client.force_login(admin_user)
    response = change(client, tree.jingyuan, ref=tree.tianshui, position="first-child", evaluating=False)
    assert response.status_code == 200 and "国网天水供电公司的季度 2019Q1 正在考评" in response.content.decode()
    response = change(client, tree.jingyuan, ref=tree.baiyin, position="first-child", evaluating=True)
    assert response.status_code == 302  # a new evaluating unit of its own: 白银 is not scoring
    scoring(tree.jingyuan)
    response = change(client, tree.jingyuan, ref=tree.baiyin, position="first-child", evaluating=False)
    assert "已有考评季度，不能改为非考评单位" in response.content.decode()
    assert placed(tree.jingyuan) == ("国网白银供电公司", "靖远县供电公司")


def test_moves_that_change_no_branchs_evaluating_unit_are_let_through_while_scoring(client, admin_user, tree):
    scoring(tree.baiyin)
    client.force_login(admin_user)
    empty = units.unit_create(name="平川区供电公司", parent=tree.baiyin)
    assert client.post(MOVE, {"node": empty.pk, "target": tree.tianshui.pk, "relation": "child"}).status_code == 200
    county = units.unit_create(name="会宁县供电公司", parent=tree.baiyin, is_evaluating=True)
    own = BranchFactory(unit=county)
    assert client.post(MOVE, {"node": county.pk, "target": tree.tianshui.pk, "relation": "child"}).status_code == 200
    assert evaluated_by(own) == "会宁县供电公司"


def test_the_import_refuses_a_re_parenting_while_scoring_naming_the_row(tree):
    scoring(tree.baiyin)
    rows = [("国网甘肃省电力公司", "", "是"), ("靖远县供电公司", "国网天水供电公司", "否")]
    with pytest.raises(ImportRejected) as caught:
        units_import(source=unit_list(*rows))
    (issue,) = caught.value.issues
    assert issue.row == 3 and "国网白银供电公司的季度 2019Q1 正在考评" in issue.message
    assert placed(tree.jingyuan) == ("国网白银供电公司", "国网白银供电公司")


def test_the_service_refuses_a_move_below_itself(tree):
    with pytest.raises(Exception, match="不能移到其自身或下级单位"):
        units.unit_move(unit=tree.baiyin, target=tree.jingyuan, position="last-child")


def test_a_change_that_would_repeat_a_branch_name_in_an_evaluating_unit_is_a_form_error(client, admin_user, tree):
    BranchFactory(name="靖远县供电公司党总支", unit=tree.tianshui)
    client.force_login(admin_user)
    response = change(client, tree.jingyuan, ref=tree.tianshui, position="first-child", evaluating=False)
    assert response.status_code == 200
    assert "考评单位“国网天水供电公司”已有党组织“靖远县供电公司党总支”" in response.content.decode()
    response = client.post(MOVE, {"node": tree.jingyuan.pk, "target": tree.tianshui.pk, "relation": "child"})
    assert response.status_code == 400 and "已有党组织" in response.content.decode()
    assert placed(tree.jingyuan) == ("国网白银供电公司", "国网白银供电公司")

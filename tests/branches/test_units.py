"""The unit tree's services and selectors (branches.units): subtrees by path, the nearest evaluating
unit kept right when the tree changes, branch names unique within an evaluating unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from branches import units
from branches.models import Branch, Category, Unit
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """国网甘肃省电力公司 (evaluates) → 白银, 天水 (evaluate) → a county under each (does not)."""
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    jingyuan = units.unit_create(name="靖远县供电公司", parent=baiyin)
    qinzhou = units.unit_create(name="秦州区供电公司", parent=tianshui)
    office = units.unit_create(name="省公司本部", parent=province)
    return type("Tree", (), dict(locals()))


def test_default_unit_is_the_company_root_created_when_first_needed():
    assert not Unit.objects.exists()
    root = units.default_unit()
    assert (root.name, root.depth, root.is_evaluating, root.evaluating_unit_id) == (
        settings.COMPANY_NAME,
        1,
        True,
        root.pk,
    )
    assert units.default_unit() == root
    assert units.is_single_company()


def test_a_unit_created_without_a_place_goes_under_the_company_root():
    unit = Unit.objects.create(name="平川区供电公司")
    root = units.default_unit()
    assert unit.get_parent() == root
    assert (unit.depth, unit.is_evaluating, unit.evaluating_unit_id) == (2, False, root.pk)
    assert units.is_single_company()


def test_subtree_and_evaluating_units_under(tree):
    assert set(units.subtree(tree.baiyin)) == {tree.baiyin, tree.jingyuan}
    assert set(units.subtree(tree.province)) == set(Unit.objects.all())
    assert set(units.evaluating_units_under(tree.province)) == {tree.province, tree.baiyin, tree.tianshui}
    assert list(units.evaluating_units_under(tree.jingyuan)) == []
    assert units.is_within(tree.jingyuan, tree.province) and not units.is_within(tree.jingyuan, tree.tianshui)
    assert not units.is_single_company()


def test_a_county_under_a_city_is_evaluated_by_the_city(tree):
    assert tree.jingyuan.evaluating_unit == tree.baiyin
    assert tree.office.evaluating_unit == tree.province
    branch = BranchFactory(name="靖远县供电公司党总支", unit=tree.jingyuan)
    assert branch.evaluating_unit == tree.baiyin


def test_branch_names_are_unique_within_an_evaluating_unit_not_across_the_tree(tree):
    BranchFactory(name="办公室党支部", unit=tree.baiyin)
    BranchFactory(name="办公室党支部", unit=tree.tianshui)
    with pytest.raises(IntegrityError), transaction.atomic():
        BranchFactory(name="办公室党支部", unit=tree.jingyuan)  # evaluated by 白银 too


def test_moving_a_unit_moves_its_evaluating_unit_and_its_branches(tree):
    branch = BranchFactory(name="靖远县供电公司党总支", unit=tree.jingyuan)
    units.unit_update(unit=tree.jingyuan, parent=tree.tianshui, is_evaluating=False)
    tree.jingyuan.refresh_from_db()
    branch.refresh_from_db()
    assert tree.jingyuan.get_parent() == tree.tianshui
    assert tree.jingyuan.evaluating_unit == tree.tianshui
    assert branch.evaluating_unit == tree.tianshui
    assert Unit.find_problems() == ([], [], [], [], [])


def test_a_unit_becoming_an_evaluating_unit_takes_the_branches_below(tree):
    branch = BranchFactory(unit=tree.jingyuan)
    units.unit_update(unit=tree.jingyuan, parent=tree.baiyin, is_evaluating=True)
    branch.refresh_from_db()
    assert branch.evaluating_unit == tree.jingyuan
    units.unit_update(unit=tree.jingyuan, parent=tree.baiyin, is_evaluating=False)
    branch.refresh_from_db()
    assert branch.evaluating_unit == tree.baiyin


def test_a_unit_cannot_move_under_itself(tree):
    with pytest.raises(ValidationError, match="不能移到其自身或下级单位"):
        units.unit_update(unit=tree.baiyin, parent=tree.jingyuan, is_evaluating=True)


def test_a_tree_change_that_would_repeat_a_name_in_an_evaluating_unit_is_refused(tree):
    BranchFactory(name="办公室党支部", unit=tree.baiyin)
    BranchFactory(name="办公室党支部", unit=tree.qinzhou)
    with pytest.raises(ValidationError, match="已有党组织“办公室党支部”"):
        units.unit_update(unit=tree.qinzhou, parent=tree.baiyin, is_evaluating=False)
    assert Unit.objects.get(pk=tree.qinzhou.pk).get_parent() == tree.tianshui


def test_a_branch_moved_between_units_is_evaluated_by_its_new_unit(tree):
    general = BranchFactory(name="秦州区供电公司党总支", unit=tree.qinzhou, kind=Branch.Kind.GENERAL)
    child = BranchFactory(name="秦州区供电公司第一党支部", unit=tree.qinzhou, parent=general)
    moved = units.branch_move(branch=general, unit=tree.jingyuan)
    assert (moved.old_evaluating_unit_id, moved.new_evaluating_unit_id) == (tree.tianshui.pk, tree.baiyin.pk)
    general.refresh_from_db()
    child.refresh_from_db()
    assert (general.unit, general.evaluating_unit) == (tree.jingyuan, tree.baiyin)
    assert (child.unit, child.evaluating_unit) == (tree.jingyuan, tree.baiyin)


def test_a_branch_cannot_move_where_its_name_is_taken(tree):
    BranchFactory(name="办公室党支部", unit=tree.baiyin)
    other = BranchFactory(name="办公室党支部", unit=tree.tianshui, category=Category.III)
    with pytest.raises(ValidationError, match="名称在同一考评单位内不能重复"):
        units.branch_move(branch=other, unit=tree.jingyuan)


def test_evaluating_unit_named_explains_what_is_wrong(tree):
    assert units.evaluating_unit_named("国网天水供电公司") == tree.tianshui
    with pytest.raises(units.UnitNotFound, match="单位“不存在的公司”不存在"):
        units.evaluating_unit_named("不存在的公司")
    with pytest.raises(units.UnitNotFound, match="不是考评单位，其党组织由“国网白银供电公司”考评"):
        units.evaluating_unit_named("靖远县供电公司")
    with pytest.raises(units.UnitNotFound, match="有多个考评单位"):
        units.evaluating_unit_named(None)


def test_the_only_evaluating_unit_needs_no_name():
    root = units.default_unit()
    Unit.objects.create(name="某县供电公司")
    assert units.evaluating_unit_named(None) == root

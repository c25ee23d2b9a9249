"""createuser and the user import take the unit where the role is held (issue 17): --unit NAME, or
the column 所属单位, for accounts not in a branch and for branch names that repeat across units."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from branches import roles, units
from branches.models import User
from tests.factories import BranchFactory
from tests.security.test_operator_setup import user_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    county = units.unit_create(name="靖远县供电公司", parent=baiyin)
    BranchFactory(name="办公室党支部", unit=baiyin)
    BranchFactory(name="办公室党支部", unit=tianshui)
    return type("Tree", (), {"province": province, "baiyin": baiyin, "tianshui": tianshui, "county": county})


def _createuser(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("createuser", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_createuser_holds_the_role_at_the_unit(tree):
    _createuser("gs-dj", "--name", "省党建", "--role", roles.DEPT, "--unit", "国网甘肃省电力公司")
    user = User.objects.get(username="gs-dj")
    assert user.unit == tree.province
    assert units.home_unit(user) == tree.province


def test_a_role_held_at_a_county_works_in_the_city_evaluating_it(tree):
    _createuser("jy-ld", "--name", "县领导", "--role", roles.LEADER, "--unit", "靖远县供电公司")
    assert units.home_unit(User.objects.get(username="jy-ld")) == tree.baiyin


def test_createuser_tells_apart_branches_of_one_name_by_the_unit(tree):
    _createuser(
        "ts-sj", "--name", "书记", "--role", roles.SECRETARY, "--branch", "办公室党支部", "--unit", "国网天水供电公司"
    )
    user = User.objects.get(username="ts-sj")
    assert (user.branch.evaluating_unit, user.unit) == (tree.tianshui, tree.tianshui)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--unit", "国网陇南供电公司"], "所属单位：单位“国网陇南供电公司”不存在"),
        (["--branch", "办公室党支部"], "所属党组织：党组织“办公室党支部”在多个考评单位中都有"),
        (
            ["--branch", "财务部党支部", "--unit", "国网天水供电公司"],
            "单位“国网天水供电公司”的考评单位中没有党组织“财务部党支部”",
        ),
    ],
)
def test_createuser_explains_a_wrong_unit(tree, args, message):
    err = io.StringIO()
    with pytest.raises(CommandError, match="用户未创建"):
        call_command("createuser", "x1", "--name", "某人", "--role", roles.SECRETARY, *args, stderr=err)
    assert message in err.getvalue()
    assert not User.objects.filter(username="x1").exists()


def test_the_user_import_reads_the_unit_column(tree, tmp_path):
    path = tmp_path / "users.xlsx"
    user_list(
        ["gs-ld", "省领导", "", "党委领导", "", "国网甘肃省电力公司"],
        ["by-sj", "白银书记", "办公室党支部", "支部书记", "", "国网白银供电公司"],
        headers=["账号", "姓名", "所属党组织", "角色", "邮箱", "所属单位"],
    ).save(path)
    call_command("import_users", str(path), stdout=io.StringIO())
    assert User.objects.get(username="gs-ld").unit == tree.province
    assert User.objects.get(username="by-sj").branch.evaluating_unit == tree.baiyin


def test_the_user_import_lists_unit_problems_with_their_rows(tree, tmp_path):
    path = tmp_path / "users.xlsx"
    user_list(
        ["a1", "甲", "", "党建部", "", "国网陇南供电公司"],
        ["a2", "乙", "办公室党支部", "支部书记", "", ""],
        headers=["账号", "姓名", "所属党组织", "角色", "邮箱", "所属单位"],
    ).save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_users", str(path), stderr=err)
    text = err.getvalue()
    assert "第 2 行 F（所属单位） 列：单位“国网陇南供电公司”不存在" in text
    assert "第 3 行 C（所属党组织） 列：党组织“办公室党支部”在多个考评单位中都有" in text
    assert not User.objects.filter(username__in=["a1", "a2"]).exists()

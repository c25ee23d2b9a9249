from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from branches import roles
from branches.services import roles_sync_permissions

pytestmark = pytest.mark.django_db


def test_the_five_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "党建部",
        "检查组成员",
        "支部书记",
        "党委领导",
        "系统管理员",
    }


def test_dept_may_edit_schemes_in_the_admin_but_not_users():
    roles_sync_permissions()
    perms = set(Group.objects.get(name=roles.DEPT).permissions.values_list("codename", flat=True))
    assert {"change_indicator", "add_contributionpoint", "change_adjustmentrule"} <= perms
    assert "change_user" not in perms


def test_has_role_reads_the_groups(dept_user, inspector_user):
    assert roles.has_role(dept_user, roles.DEPT)
    assert not roles.has_role(inspector_user, roles.DEPT)

"""The five roles, kept as Django groups (created by a data migration).

The group names are the Chinese role names themselves: they are what admins see and assign.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from branches.models import User

DEPT = "党建部"  # party-building department staff
INSPECTOR = "检查组成员"  # inspection-group member
SECRETARY = "支部书记"  # branch secretary
LEADER = "党委领导"  # party committee leadership
ADMIN = "系统管理员"  # system administrator

ALL_ROLES = (DEPT, INSPECTOR, SECRETARY, LEADER, ADMIN)


def role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMIN}
        user._role_names = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_dept(user) -> bool:
    return has_role(user, DEPT)


def can_read_everything(user) -> bool:
    """党建部 and leadership read all results, published or not."""
    return has_role(user, DEPT, LEADER)

"""Accounts set up by an operator: `createuser`, the Excel user import (reports.imports.users).

Accounts are never deleted (history rows keep their authors); `user_deactivate` ends access.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches import roles
from branches.models import AccountDeletionRefused, Branch, User  # noqa: F401 (re-exported)
from branches.services import roles_sync_permissions

# Roles that work in the Django admin (users, branches, indicators): staff accounts.
STAFF_ROLES = frozenset({roles.DEPT, roles.ADMIN})


def role_error(role: str) -> str | None:
    if role in roles.ALL_ROLES:
        return None
    return _("角色“%(role)s”不存在，应为：%(roles)s。") % {"role": role, "roles": "、".join(roles.ALL_ROLES)}


def user_check(*, username: str, name: str, role: str, branch_name: str = "", email: str = "") -> dict[str, str]:
    """Every problem of one prospective account, by field name (empty: it can be created)."""
    errors: dict[str, str] = {}
    candidate = User(username=User.normalize_username(username), name=name, email=email)
    try:
        candidate.full_clean(exclude=["password", "branch"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field] = " ".join(messages)
    if "username" not in errors and User.objects.filter(username__iexact=candidate.username).exists():
        errors["username"] = _("账号“%(username)s”已存在。") % {"username": candidate.username}
    if not name:
        errors["name"] = _("姓名不能为空。")
    message = role_error(role)
    if message:
        errors["role"] = message
    if branch_name and not Branch.objects.filter(name=branch_name).exists():
        errors["branch"] = _("党组织“%(name)s”不存在，请先导入或在后台添加。") % {"name": branch_name}
    if role == roles.SECRETARY and not branch_name:
        errors["branch"] = _("支部书记须填写所属党组织。")
    return errors


@transaction.atomic
def user_create(
    *,
    username: str,
    name: str,
    role: str,
    branch_name: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """Create one account with its role (and organisation). No password: it cannot log in until an
    administrator sets one (or the directory sign-in recognises it)."""
    errors = user_check(username=username, name=name, role=role, branch_name=branch_name, email=email)
    if errors:
        raise ValidationError(errors)
    user = User(
        username=User.normalize_username(username),
        name=name,
        email=email,
        branch=Branch.objects.get(name=branch_name) if branch_name else None,
        is_staff=role in STAFF_ROLES,
        is_superuser=role == roles.ADMIN,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    user.save()
    if not Group.objects.filter(name=role).exists():
        roles_sync_permissions()
    user.groups.set(Group.objects.filter(name=role))
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """End an account's access; everything it did keeps its name."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user

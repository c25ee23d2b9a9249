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
from branches.models import AccountDeletionRefused, Branch, Unit, User  # noqa: F401 (re-exported)
from branches.services import roles_sync_permissions

# Roles that work in the Django admin (users, branches, indicators): staff accounts.
STAFF_ROLES = frozenset({roles.DEPT, roles.ADMIN})


def role_error(role: str) -> str | None:
    if role in roles.ALL_ROLES:
        return None
    return _("角色“%(role)s”不存在，应为：%(roles)s。") % {"role": role, "roles": "、".join(roles.ALL_ROLES)}


def _unit_and_branch(branch_name: str, unit_name: str) -> tuple[Unit | None, Branch | None, dict[str, str]]:
    """The unit where the role is held and the person's branch, as named: a branch name repeats
    across evaluating units, so the unit (any unit of the branch's evaluating unit) tells them apart."""
    errors: dict[str, str] = {}
    unit = Unit.objects.filter(name=unit_name).first() if unit_name else None
    if unit_name and unit is None:
        errors["unit"] = _("单位“%(name)s”不存在，请先导入单位（import_units）。") % {"name": unit_name}
    branch = None
    if branch_name:
        candidates = Branch.objects.filter(name=branch_name).select_related("evaluating_unit")
        if unit is not None and unit.evaluating_unit_id is not None:
            candidates = candidates.filter(evaluating_unit_id=unit.evaluating_unit_id)
        found = list(candidates[:10])
        if not found and "unit" not in errors:
            errors["branch"] = _("党组织“%(name)s”不存在，请先导入或在后台添加。") % {"name": branch_name}
            if unit is not None:
                errors["branch"] = _("单位“%(unit)s”的考评单位中没有党组织“%(name)s”。") % {
                    "unit": unit.name,
                    "name": branch_name,
                }
        elif len(found) > 1:
            errors["branch"] = _("党组织“%(name)s”在多个考评单位中都有（%(units)s），请同时填写所属单位。") % {
                "name": branch_name,
                "units": "、".join(b.evaluating_unit.name for b in found),
            }
        elif found:
            branch = found[0]
    return unit, branch, errors


def user_check(
    *, username: str, name: str, role: str, branch_name: str = "", email: str = "", unit_name: str = ""
) -> dict[str, str]:
    """Every problem of one prospective account, by field name (empty: it can be created)."""
    errors: dict[str, str] = {}
    candidate = User(username=User.normalize_username(username), name=name, email=email)
    try:
        candidate.full_clean(exclude=["password", "branch", "unit"], validate_unique=False)
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
    errors.update(_unit_and_branch(branch_name, unit_name)[2])
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
    unit_name: str = "",
) -> User:
    """Create one account with its role (and organisation), held at `unit_name` (the unit whose
    subtree the role reaches; without one, the branch's unit, else the company's). No password: it
    cannot log in until an administrator sets one (or the directory sign-in recognises it)."""
    errors = user_check(
        username=username, name=name, role=role, branch_name=branch_name, email=email, unit_name=unit_name
    )
    if errors:
        raise ValidationError(errors)
    unit, branch, _errors = _unit_and_branch(branch_name, unit_name)
    user = User(
        username=User.normalize_username(username),
        name=name,
        email=email,
        branch=branch,
        unit=unit,
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

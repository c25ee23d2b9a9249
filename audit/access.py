"""Who reads the audit trail: 系统管理员 and leadership (党委领导). Everyone else gets 403; nobody
edits it (there is no write view, and the admin is read-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from branches import roles


def can_read_audit(user) -> bool:
    return roles.has_role(user, roles.ADMIN, roles.LEADER)


def require_audit_reader(user) -> None:
    if not can_read_audit(user):
        raise PermissionDenied

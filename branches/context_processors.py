from __future__ import annotations

from branches import roles as role_defs


def roles(request) -> dict:
    """Role flags for templates, so menus show each user only what is theirs."""
    names = role_defs.role_names(request.user)
    return {
        "user_roles": names,
        "is_dept": role_defs.DEPT in names,
        "is_inspector": role_defs.INSPECTOR in names,
        "is_secretary": role_defs.SECRETARY in names,
        "is_leader": role_defs.LEADER in names,
        "is_admin": role_defs.ADMIN in names,
    }


def portal(request) -> dict:
    from django.conf import settings

    return {"COMPANY_NAME": settings.COMPANY_NAME}

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
    """The company named in the footer: the viewer's own (evaluating) unit, once logged in, so a
    city's pages never name another city; before login, the installation's company. Lazy: only
    a page that prints it reads the unit (one query at most, cached on the user)."""
    from django.conf import settings
    from django.utils.functional import SimpleLazyObject

    from branches.units import home_unit

    def name() -> str:
        user = getattr(request, "user", None)
        held = user._state.fields_cache.get("unit") if getattr(user, "unit_id", None) else None
        if held is not None and (held.is_evaluating or held.evaluating_unit_id is None):
            return held.name  # the unit already read by the page's access check: no query
        unit = home_unit(user)
        return unit.name if unit is not None else settings.COMPANY_NAME

    return {"COMPANY_NAME": SimpleLazyObject(name)}

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


def _viewer_unit(user):
    """The viewer's own unit (branches.units.home_unit): the unit the page's access check already
    read when it is the account's own evaluating unit (no query), else home_unit (one, cached)."""
    from branches.units import home_unit

    held = user._state.fields_cache.get("unit") if getattr(user, "unit_id", None) else None
    if held is not None and (held.is_evaluating or held.evaluating_unit_id is None):
        return held
    return home_unit(user)


def portal(request) -> dict:
    """The company named in the footer: the viewer's own (evaluating) unit, once logged in, so a
    city's pages never name another city; before login, the installation's company. And whether
    that unit evaluates (a province above its cities has no quarters, board or overview of its
    own: the menus do not offer them). Lazy: only a page that prints them reads the unit (one
    query at most, cached on the user)."""
    from django.conf import settings
    from django.utils.functional import SimpleLazyObject

    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"COMPANY_NAME": settings.COMPANY_NAME, "UNIT_EVALUATES": True}

    def name() -> str:
        unit = _viewer_unit(user)
        return unit.name if unit is not None else settings.COMPANY_NAME

    def evaluates() -> bool:
        unit = _viewer_unit(user)
        return unit is None or unit.is_evaluating or user.is_superuser

    return {"COMPANY_NAME": SimpleLazyObject(name), "UNIT_EVALUATES": SimpleLazyObject(evaluates)}

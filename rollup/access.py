"""Who may open a roll-up: 党建部 and leadership, for the unit where their role is held and any
unit below it — decided by comparing materialized paths (no query grows with the tree). Everyone
else, and anyone asking for a unit outside their subtree, gets 404: the unit is not theirs to know."""

from __future__ import annotations

from django.http import Http404

from branches import roles
from branches.models import Unit
from branches.units import default_unit, is_within, user_unit


def home_unit(user) -> Unit | None:
    """The unit whose roll-up is the user's own: where the role is held (the account's unit, else
    its branch's), or the 党委 that unit belongs to when the unit itself does not evaluate (党建部
    staff sit in a department of the company); an account with neither, from before the unit tree,
    belongs to the installation's company unit."""
    if not user.is_authenticated:
        return None
    unit = user_unit(user)
    if unit is None:
        return default_unit()
    if not unit.is_evaluating and unit.evaluating_unit_id:
        return Unit.objects.filter(pk=unit.evaluating_unit_id).first()
    return unit


def can_open_rollup(user) -> bool:
    return roles.has_role(user, roles.DEPT, roles.LEADER)


def unit_for_rollup(user, pk: int | None = None) -> Unit:
    """The unit whose roll-up the user asks for (their own when `pk` is None)."""
    if not can_open_rollup(user):
        raise Http404
    home = home_unit(user)
    if home is None:
        raise Http404
    if pk is None or pk == home.pk:
        return home
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not is_within(unit, home):
        raise Http404
    return unit


__all__ = ["can_open_rollup", "home_unit", "is_within", "unit_for_rollup"]

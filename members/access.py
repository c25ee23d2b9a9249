"""Who may see and keep a branch's member points (党员积分). One helper per object type.

The ledger is the branch's own business: its secretary keeps it; 党建部 and leadership read it
(and 党建部 may publish the ranking); anyone else gets 404 — the page does not exist for them.
Read-only roles trying to write get 403. 党建部 and leadership read the ledgers of their own
evaluating unit's branches and of the units below (issue 17: a subtree by path); 党建部 publishes
the ranking of its own unit's branches only.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from branches import roles
from branches.models import Branch, User
from branches.units import runs, within_reach


def is_keeper(user: User, branch: Branch) -> bool:
    """Only the branch's own secretary keeps its ledger."""
    return user.is_authenticated and branch.secretary_id == user.pk and roles.has_role(user, roles.SECRETARY)


def branch_for_points(user, pk: int, *, write: bool = False) -> Branch:
    branch = get_object_or_404(Branch.objects.select_related("unit", "secretary", "evaluating_unit"), pk=pk)
    if is_keeper(user, branch):
        return branch
    if roles.can_read_everything(user) and within_reach(user, branch.evaluating_unit):
        if write:
            raise PermissionDenied
        return branch
    raise Http404


def branch_for_ranking_publication(user, pk: int) -> Branch:
    branch = branch_for_points(user, pk)
    if not (is_keeper(user, branch) or (roles.is_dept(user) and runs(user, branch.evaluating_unit))):
        raise PermissionDenied
    return branch

"""Who may see and do what on the board. One helper per object type: 404 to outsiders, 403 to
read-only roles.

Decided: a published board — and every branch's published result on it — is public within the
company: every logged-in user may read it. An unpublished quarter (the preview) exists only for
党建部 and leadership; everyone else gets 404. Writes (exclusions, publication, the adjustment
table) are 党建部's: leadership gets 403, others 404 (or 403 where the page itself is public).
A branch's problem list is shown to its own people, 党建部 and leadership only
(boards.selectors.branch.can_see_problems).

Units (issue 17): "the company" is the user's evaluating unit and the units below it. A quarter
code means the quarter of the unit asked for (`?unit=`), else of the user's own unit. Another
unit's board exists only if that unit is below the user's and the board is published; previews
and writes are for the unit's own 党建部 and leadership. Decided by path prefix (branches.units).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from boards.models import Exclusion
from branches import roles
from branches.models import Branch
from branches.units import home_unit, runs, unit_choice, within_reach
from scoring.models import Quarter


def quarter_coded(user, code: str, unit_id: int | None = None) -> Quarter:
    """The quarter a code means for this user: of `unit_id` (else the `?unit=` asked for, else the
    user's own evaluating unit), within the units the user reaches. 404 otherwise."""
    quarters = Quarter.objects.visible_to(user).filter(code=code).select_related("published_by", "unit")
    unit_id = unit_id or unit_choice(user)
    if unit_id is not None:
        return get_object_or_404(quarters, unit_id=unit_id)
    found = list(quarters[:2]) if getattr(user, "is_superuser", False) else []
    if len(found) == 1:  # a superuser reaching every unit: unambiguous when only one unit has the code
        return found[0]
    home = home_unit(user)
    return get_object_or_404(quarters, unit=home)


def quarter_for_board(user, code: str, unit_id: int | None = None) -> Quarter:
    """A quarter whose board the user may read: published (its own unit's or one below), or (the
    preview) its own unit's, for 党建部/leadership, while scoring runs or after it closed."""
    quarter = quarter_coded(user, code, unit_id)
    if quarter.is_published:
        return quarter
    if roles.can_read_everything(user) and runs(user, quarter.unit) and quarter.status != Quarter.Status.PREPARING:
        return quarter
    raise Http404


def quarter_for_publication(user, code: str) -> Quarter:
    """A quarter the user may act on (exclude, publish): its own unit's 党建部 only; leadership
    reads (403); a unit above reads another unit's published board and acts on none (404)."""
    quarter = quarter_for_board(user, code)
    if not runs(user, quarter.unit):
        raise Http404
    if not roles.is_dept(user):
        raise PermissionDenied
    return quarter


def exclusion_for_dept(user, code: str, pk: int) -> Exclusion:
    quarter = quarter_for_publication(user, code)
    return get_object_or_404(Exclusion.objects.select_related("quarter", "branch"), quarter=quarter, pk=pk)


def require_dept(user) -> None:
    """For pages whose reading is public (the adjustment table): editing is 党建部's."""
    if not roles.is_dept(user):
        raise PermissionDenied


def branch_for_board(user, pk: int) -> Branch:
    """A branch of the user's unit or a unit below: its published results are public there."""
    branch = get_object_or_404(Branch.objects.select_related("unit", "secretary", "evaluating_unit"), pk=pk)
    if not within_reach(user, branch.evaluating_unit):
        raise Http404
    return branch


def quarter_for_branch(user, code: str | None, branch: Branch | None = None) -> Quarter | None:
    """The quarter shown on a branch's page — of the branch's evaluating unit: the one asked for
    (if the user may read its board), else its latest published one."""
    unit_id = branch.evaluating_unit_id if branch is not None else None
    if code:
        return quarter_for_board(user, code, unit_id)
    quarters = Quarter.objects.filter(unit_id=unit_id) if unit_id else Quarter.objects.all()
    return quarters.latest_published()

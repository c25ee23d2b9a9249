"""Who may see and do what on the board. One helper per object type: 404 to outsiders, 403 to
read-only roles.

Decided: a published board — and every branch's published result on it — is public within the
company: every logged-in user may read it. An unpublished quarter (the preview) exists only for
党建部 and leadership; everyone else gets 404. Writes (exclusions, publication, the adjustment
table) are 党建部's: leadership gets 403, others 404 (or 403 where the page itself is public).
A branch's problem list is shown to its own people, 党建部 and leadership only
(boards.selectors.branch.can_see_problems).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from boards.models import Exclusion
from branches import roles
from branches.models import Branch
from scoring.models import Quarter


def quarter_for_board(user, code: str) -> Quarter:
    """A quarter whose board the user may read: published, or (preview) 党建部/leadership while
    scoring runs or after it closed."""
    quarter = get_object_or_404(Quarter.objects.select_related("published_by"), code=code)
    if quarter.is_published:
        return quarter
    if roles.can_read_everything(user) and quarter.status != Quarter.Status.PREPARING:
        return quarter
    raise Http404


def quarter_for_publication(user, code: str) -> Quarter:
    """A quarter the user may act on (exclude, publish): 党建部 only; leadership reads (403)."""
    quarter = quarter_for_board(user, code)
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
    """Any branch: its published results are public within the company."""
    return get_object_or_404(Branch.objects.select_related("unit", "secretary"), pk=pk)


def quarter_for_branch(user, code: str | None) -> Quarter | None:
    """The quarter shown on a branch's page: the one asked for (if the user may read its board),
    else the latest published one."""
    if code:
        return quarter_for_board(user, code)
    return Quarter.objects.latest_published()

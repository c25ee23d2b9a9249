"""Who may see and do what with interviews, items and evidence.

One helper per object type, as views use them: outsiders get 404 (the object's existence is not
revealed), people who may read but not do the thing get 403.

- 党建部: reads everything; schedules, records minutes, adds items, accepts/returns, runs look-backs.
- 党委领导: reads everything (read-only).
- 支部书记: reads their own branch's interviews only, and answers/reports/uploads on its items.
- everyone else: nothing.

Units (issue 17): reading reaches the interviews of the user's evaluating unit and the units below
(a subtree by path); 党建部's writes only its own unit's (branches.units.runs) — a unit above reads.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from branches import roles
from branches.units import home_unit, runs, within_reach
from interviews.models import Evidence, Interview, LookBack, RectificationItem

READ = "read"
BRANCH = "branch"  # the branch secretary's writes
DEPT = "dept"  # 党建部's writes


def secretary_branch_ids(user) -> set[int]:
    """The branches whose secretary the user is (Branch.secretary, or their own branch with the role)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_secretary_branch_ids", None)
    if cached is None:
        from branches.models import Branch

        cached = set(Branch.objects.filter(secretary_id=user.pk).values_list("pk", flat=True))
        if user.branch_id and roles.has_role(user, roles.SECRETARY):
            cached.add(user.branch_id)
        user._secretary_branch_ids = cached
    return cached


def reads_all(user) -> bool:
    return roles.can_read_everything(user)


def _reach_q(user) -> Q:
    """Interviews of the quarters of the units the user reaches (everything for superusers)."""
    if user.is_superuser:
        return Q()
    home = home_unit(user)
    return Q(quarter__unit__path__startswith=home.path) if home is not None else Q(pk__in=[])


def visible_interviews(user) -> QuerySet[Interview]:
    """The interviews the user may read."""
    qs = Interview.objects.all()
    if reads_all(user):
        return qs.filter(_reach_q(user))
    branch_ids = secretary_branch_ids(user)
    if not branch_ids:
        return qs.none()
    return qs.filter(branch_id__in=branch_ids)


def _check(user, branch_id: int, action: str, quarter) -> None:
    """Raise 404 for outsiders, 403 for readers who may not do `action`."""
    reader = reads_all(user) and within_reach(user, quarter.unit)
    if action == READ and reader:
        return
    if action == DEPT and roles.is_dept(user) and runs(user, quarter.unit):
        return
    own = branch_id in secretary_branch_ids(user)
    if not (own or reader):
        raise Http404
    if action == READ or (action == BRANCH and own):
        return
    raise PermissionDenied(_("您没有权限执行此操作。"))


def get_interview_for_user(user, pk: int, action: str = READ) -> Interview:
    interview = (
        Interview.objects.select_related("quarter__unit", "branch", "interviewer", "interviewee").filter(pk=pk).first()
    )
    if interview is None:
        raise Http404
    _check(user, interview.branch_id, action, interview.quarter)
    return interview


def get_item_for_user(user, pk: int, action: str = READ) -> RectificationItem:
    item = (
        RectificationItem.objects.select_related(
            "interview__quarter__unit", "interview__branch", "problem__indicator", "accepted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    _check(user, item.interview.branch_id, action, item.interview.quarter)
    return item


def get_evidence_for_user(user, pk: int, action: str = READ) -> Evidence:
    evidence = Evidence.objects.select_related("item__interview__quarter__unit").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    _check(user, evidence.item.interview.branch_id, action, evidence.item.interview.quarter)
    return evidence


def get_look_back_for_user(user, pk: int, action: str = READ) -> LookBack:
    look_back = LookBack.objects.select_related("interview__quarter__unit", "interview__branch").filter(pk=pk).first()
    if look_back is None:
        raise Http404
    _check(user, look_back.interview.branch_id, action, look_back.interview.quarter)
    return look_back


def can_dept(user) -> bool:
    return roles.is_dept(user)

"""What publication leaves to interviews: an interview and its checklist for every blue-board branch
(the follow-up interviews registers with boards.followups)."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from boards.models import Board, BoardEntry
from branches import roles
from branches.models import User
from branches.services import notice_send
from interviews.models import (
    Interview,
    RectificationItem,
)
from scoring.models import Problem, Quarter


def default_interviewer() -> User | None:
    """The committee secretary: the first user (by id) holding the 党委领导 role."""
    return User.objects.filter(groups__name=roles.LEADER, is_active=True).order_by("id").first()


@transaction.atomic
def interviews_create_for_quarter(*, quarter: Quarter) -> list[Interview]:
    """For every blue-board branch of the quarter, one interview holding its problem list.

    Idempotent: a branch that already has its interview for the quarter is left alone, so the
    publish task may run twice. Returns the interviews created by this call.
    """
    branch_ids = list(
        BoardEntry.objects.filter(quarter=quarter, board=Board.BLUE)
        .order_by("category", "branch_name")
        .values_list("branch_id", flat=True)
    )
    existing = set(Interview.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    missing = [b for b in branch_ids if b not in existing]
    if not missing:
        return []

    problems: dict[int, list[Problem]] = defaultdict(list)
    for problem in (
        Problem.objects.filter(sheet__quarter=quarter, sheet__branch_id__in=missing)
        .select_related("sheet")
        .order_by("indicator__category", "indicator__position", "id")
    ):
        problems[problem.sheet.branch_id].append(problem)

    from branches.models import Branch

    secretaries = dict(Branch.objects.filter(pk__in=missing).values_list("pk", "secretary_id"))
    interviewer = default_interviewer()
    created = []
    for branch_id in missing:
        interview, was_created = Interview.objects.get_or_create(
            quarter=quarter,
            branch_id=branch_id,
            defaults={"interviewer": interviewer, "interviewee_id": secretaries.get(branch_id)},
        )
        if not was_created:
            continue  # created concurrently by another run
        RectificationItem.objects.bulk_create(
            RectificationItem(interview=interview, problem=problem, description=problem.description, position=n)
            for n, problem in enumerate(problems[branch_id], start=1)
        )
        if interview.interviewee_id:
            notice_send(
                user_id=interview.interviewee_id,
                message=_("%(quarter)s 整改清单已建立（%(n)s 项问题），请逐项填报整改措施、完成时限和责任人。")
                % {"quarter": quarter.code, "n": len(problems[branch_id])},
                url=interview.get_absolute_url(),
            )
        created.append(interview)
    return created

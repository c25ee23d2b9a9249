"""Writes for interviews and rectification. Views, tasks and the board's publication call these."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from boards.models import Board, BoardEntry
from branches import roles
from branches.models import User
from interviews.models import Interview, RectificationItem
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
        .order_by("category", "branch__name")
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
        created.append(interview)
    return created

"""Helpers for the interview tests: publish a quarter, build an interview with items."""

from __future__ import annotations

import datetime

from boards.models import Board, BoardEntry
from boards.selectors import board_compute
from interviews.models import Interview, ItemStatus, RectificationItem
from interviews.services import interviews_create_for_quarter
from scoring.models import Quarter
from tests import factories

DEMO_BLUE = ["平川区供电公司党总支", "鸿运物业分公司党支部", "营销部党支部"]


def publish(quarter: Quarter, user) -> list[Interview]:
    """Publish the quarter (through boards.services when it exists) and create its interviews."""
    try:
        from boards.services import quarter_publish
    except ImportError:
        quarter_publish = None
    if quarter_publish is not None:
        quarter_publish(quarter=quarter, user=user)
    else:
        rows = []
        for category in board_compute(quarter):
            for r in category.ranking:
                rows.append(
                    BoardEntry(
                        quarter=quarter,
                        branch_id=r.branch_id,
                        branch_name=r.name,
                        category=r.category,
                        total=r.total,
                        indicator_total=r.indicator_total,
                        contribution=r.contribution,
                        rank=r.rank,
                        board=r.board,
                        adjustment=r.adjustment,
                    )
                )
        BoardEntry.objects.bulk_create(rows)
        Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.PUBLISHED)
    interviews_create_for_quarter(quarter=quarter)
    return list(Interview.objects.filter(quarter=quarter))


def make_interview(branch=None, quarter=None, n_items: int = 2, **item_kwargs) -> Interview:
    """An interview with `n_items` items, without going through publication."""
    quarter = quarter or factories.QuarterFactory(status=Quarter.Status.PUBLISHED)
    branch = branch or factories.BranchFactory()
    BoardEntry.objects.get_or_create(
        quarter=quarter,
        branch=branch,
        defaults={"branch_name": branch.name, "category": branch.category, "board": Board.BLUE, "rank": 9},
    )
    interview = Interview.objects.create(quarter=quarter, branch=branch, interviewee=branch.secretary)
    for n in range(1, n_items + 1):
        RectificationItem.objects.create(interview=interview, description=f"问题{n}", position=n, **item_kwargs)
    return interview


def answered(**kwargs) -> dict:
    """Item fields of an item the branch has answered and is working on."""
    return {
        "measure": "建立台账，按月检查",
        "deadline": datetime.date(2030, 1, 1),
        "responsible": "李明",
        "status": ItemStatus.IN_PROGRESS,
        **kwargs,
    }


def celery_pools_reset() -> None:
    """Forget every pooled broker connection so the next task opens a fresh one for the current
    broker. tests/conftest.py's celery_worker_redis force-closes the app's pool, which stays in
    kombu's global registry: an eager task later in the session (memory://) would then fail with
    "Acquire on closed pool". kombu's reset() closes and also forgets them."""
    from kombu import pools

    from baiyin_eval.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None

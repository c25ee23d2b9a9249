"""Helpers shared by the board's tests (imported, not fixtures): a quarter scored to order, in bulk,
and follow-ups that fail."""

from __future__ import annotations

from decimal import Decimal

from boards import followups
from branches.models import Branch
from scoring.models import Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories


def score_quarter(quarter: Quarter, spec: dict[str, list[str | None]], prefix: str = "支部") -> dict[str, Branch]:
    """Create one branch per entry of `spec` (category → fractions of the maximum; None = unscored)
    and a submitted sheet scoring every indicator at that fraction. Returns name → branch."""
    branches = {}
    schemes = {c: scheme_for_category(quarter, c) for c in spec}
    scores = []
    for category, fractions in spec.items():
        for n, fraction in enumerate(fractions, start=1):
            name = f"{prefix}{category}-{n:03d}"
            branch = factories.BranchFactory(name=name, category=category)
            branches[name] = branch
            sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, status=ScoreSheet.Status.SUBMITTED)
            if fraction is None:
                continue
            scores += [
                Score(sheet=sheet, indicator=i, value=(i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
                for i in schemes[category]
            ]
    Score.objects.bulk_create(scores)
    return branches


def broken_follow_up(*, quarter):
    raise RuntimeError("boom")


BROKEN = followups.FollowUpJob(name="tests.boards.helpers.broken_follow_up", label="boom", run=broken_follow_up)


def follow_ups_registered(monkeypatch, *jobs: followups.FollowUpJob) -> None:
    """Make publication write exactly `jobs` (for this test): the registry as if only they were registered."""
    monkeypatch.setattr(followups, "_jobs", {job.name: job for job in jobs})

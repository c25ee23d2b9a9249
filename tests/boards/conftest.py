"""Fixtures for the board: a quarter scored to order, in bulk, and a published one."""

from __future__ import annotations

from decimal import Decimal

import pytest

from branches.models import Branch
from scoring.models import Problem, Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories
from tests.conftest import make_user


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


@pytest.fixture
def scoring_quarter(db):
    return factories.QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)


@pytest.fixture
def small_board(scoring_quarter):
    """Three categories: Ⅰ has a clear first and last, Ⅱ a tie at the bottom, Ⅲ a single branch."""
    branches = score_quarter(scoring_quarter, {"1": ["0.9", "0.8", "0.7"], "2": ["0.95", "0.6", "0.6"], "3": ["0.5"]})
    return scoring_quarter, branches


@pytest.fixture
def board_with_people(small_board):
    """small_board with a secretary for every branch and a problem on each blue-board branch, so
    every follow-up has something to create: notices, interviews with their checklist items."""
    quarter, branches = small_board
    make_user("党委领导", username="shuji")  # the default interviewer
    for name, branch in branches.items():
        branch.secretary = make_user("支部书记", username=f"sec-{name}", email=f"{name}@example.com")
        branch.save()
    for name in ("支部1-003", "支部2-002", "支部2-003"):
        sheet = ScoreSheet.objects.get(quarter=quarter, branch=branches[name])
        indicator = sheet.scores.first().indicator
        Problem.objects.create(sheet=sheet, indicator=indicator, description=f"{name} 三会一课落实不到位")
    return quarter, branches

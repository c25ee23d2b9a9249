"""Helpers for the star-rating tests: the same branches scored and published over several quarters."""

from __future__ import annotations

from decimal import Decimal

from boards.services import quarter_publish
from branches.models import Branch
from scoring.models import Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories


def publish_quarter(code: str, fractions: dict[Branch, str], user) -> Quarter:
    """Create quarter `code`, score every branch at its fraction of each maximum, publish it."""
    quarter = factories.QuarterFactory(code=code, status=Quarter.Status.SCORING)
    schemes = {c: scheme_for_category(quarter, c) for c in "123"}
    scores = []
    for branch, fraction in fractions.items():
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, status=ScoreSheet.Status.SUBMITTED)
        scores += [
            Score(sheet=sheet, indicator=i, value=(i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
            for i in schemes[branch.category]
        ]
    Score.objects.bulk_create(scores)
    return quarter_publish(quarter=quarter, user=user)

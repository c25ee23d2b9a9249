"""The board page lists the quarter's star-rated branches: at 50,000 branches thousands are
rated, so each level shows its first QUARTER_STARS_SHOWN names (best average first) and says how
many it has."""

from __future__ import annotations

import pytest

from boards.models import BoardEntry
from ratings.models import StarRating
from ratings.selectors import QUARTER_STARS_SHOWN
from ratings.templatetags.star_tags import quarter_stars
from tests import factories

pytestmark = pytest.mark.django_db


def rated(quarter, branch, **rating) -> StarRating:
    """A star rating as publication leaves it: beside the branch's board row, whose published name
    the list shows."""
    BoardEntry.objects.create(quarter=quarter, branch=branch, branch_name=branch.name, category=branch.category)
    return StarRating(quarter=quarter, branch=branch, year=quarter.year, **rating)


def test_each_star_level_shows_its_first_names_and_its_count(django_assert_max_num_queries):
    quarter = factories.QuarterFactory(code="2034Q1", status="published")
    branches = [factories.BranchFactory(name=f"星级党支部{k:03d}") for k in range(QUARTER_STARS_SHOWN + 5)]
    StarRating.objects.bulk_create(
        [rated(quarter, b, stars=1) for b in branches]
        + [rated(quarter, factories.BranchFactory(name="五星党支部"), stars=5)]
        + [rated(quarter, factories.BranchFactory(name="无星党支部"), stars=0)]
    )
    with django_assert_max_num_queries(1):
        levels = quarter_stars(quarter)["levels"]
    assert levels[0] == (5, ["五星党支部"], 1, 0)
    stars, names, count, more = levels[1]
    assert (stars, count, more) == (1, QUARTER_STARS_SHOWN + 5, 5)
    assert names == [f"星级党支部{k:03d}" for k in range(QUARTER_STARS_SHOWN)]
    assert len(levels) == 2  # no level for unrated branches


def test_the_best_averages_come_first():
    from decimal import Decimal

    quarter = factories.QuarterFactory(code="2034Q2", status="published")
    for name, average in (("甲", "90.00"), ("乙", "95.50"), ("丙", None)):
        rated(
            quarter,
            factories.BranchFactory(name=f"{name}党支部"),
            stars=3,
            average=Decimal(average) if average else None,
        ).save()
    assert quarter_stars(quarter)["levels"] == [(3, ["乙党支部", "甲党支部", "丙党支部"], 3, 0)]

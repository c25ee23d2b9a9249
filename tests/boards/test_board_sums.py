"""At scale the board is computed from sums made by the database (boards.selectors.board.board_rows;
PostgreSQL), and published rows are written with COPY. Both must give exactly what the rules
give from every single score: checked here on awkward data — several groups per branch (means of
thirds, a mean exactly on half a cent), unscored indicators, exclusions, contribution points,
ties, inactive branches — and on text that COPY must escape."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from boards.models import BoardEntry, BoardScore, Exclusion
from boards.selectors import board_compute, board_compute_detailed, board_page, sums_in_database
from boards.services import quarter_publish
from branches.models import Branch, Category
from scoring.models import ContributionPoint, Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories

pytestmark = pytest.mark.django_db


def outcome(categories) -> dict[int, tuple]:
    return {
        r.branch_id: (r.status, r.indicator_total, r.contribution, r.total, r.rank, r.board, r.adjustment, r.note)
        for c in categories
        for r in c.ranking + c.unscored + c.excluded
    }


def awkward_quarter(seed: int) -> Quarter:
    rng = random.Random(seed)
    quarter = factories.QuarterFactory(code="2032Q1", status=Quarter.Status.SCORING)
    groups = [factories.InspectionGroupFactory(quarter=quarter, name=f"第{g}组") for g in range(4)]
    schemes = {c: scheme_for_category(quarter, c) for c in Category.values}
    scores = []
    for n in range(45):
        category = Category.values[n % 3]
        branch = factories.BranchFactory(name=f"核对党支部{n:02d}", category=category, is_active=n != 44)
        for group in groups[: 1 + n % 4]:
            sheet = ScoreSheet.objects.create(
                quarter=quarter, branch=branch, group=group, status=ScoreSheet.Status.SUBMITTED
            )
            for k, indicator in enumerate(schemes[category]):
                if n % 9 == 4 and k == 2:
                    continue  # one indicator never scored: the branch is unscored
                if n % 4 == 3 and k == 0 and group == groups[0]:
                    # four groups: 8.0, 8.0, 8.0, 8.1 → a mean of 8.025, on half a cent
                    scores.append(Score(sheet=sheet, indicator=indicator, value=Decimal("8.1")))
                    continue
                if n % 5 == 0:
                    value = Decimal("8.0")  # ties
                else:
                    value = Decimal(rng.randint(int(indicator.max_score * 5), int(indicator.max_score * 10))) / 10
                scores.append(Score(sheet=sheet, indicator=indicator, value=min(value, indicator.max_score)))
        if n % 7 == 2:
            # A draft (党建部's own, never submitted) scoring everything 0: counted by neither path.
            draft = ScoreSheet.objects.create(quarter=quarter, branch=branch, group=None)
            scores += [Score(sheet=draft, indicator=i, value=Decimal("0")) for i in schemes[category]]
        if n % 6 == 1:
            ContributionPoint.objects.create(quarter=quarter, branch=branch, points=Decimal("0.75"), reason="贡献")
        if n % 9 == 4 and n % 2 == 0:
            Exclusion.objects.create(quarter=quarter, branch=branch, reason="整改中\t暂不排名\n见说明 C:\\记录")
    Score.objects.bulk_create(scores)
    return quarter


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summed_board_is_the_board_of_every_score(seed):
    quarter = awkward_quarter(seed)
    assert outcome(board_compute(quarter)) == outcome(board_compute_detailed(quarter))


def test_the_summed_board_has_ties_unscored_and_excluded_branches():
    categories = board_compute(awkward_quarter(1))
    everyone = [r for c in categories for r in c.ranking + c.unscored + c.excluded]
    assert any(r.status == "unscored" for r in everyone) and any(r.status == "excluded" for r in everyone)
    ranks = [r.rank for c in categories for r in c.ranking]
    assert len(ranks) != len(set(ranks))  # shared ranks
    assert not any(r.name == "核对党支部44" for r in everyone)  # inactive


def test_the_preview_page_rows_carry_their_indicator_scores():
    quarter = awkward_quarter(2)
    detailed = {r.branch_id: r.scores for c in board_compute_detailed(quarter) for r in c.ranking}
    sections = board_page(quarter)
    rows = [r for section in sections for r in section.rows]
    assert rows and all(r.scores == detailed[r.branch_id] for r in rows)
    assert all(set(r.scores) == {i.pk for i in section.columns} for section in sections for r in section.rows)


def test_published_rows_are_exactly_the_computed_board(dept_user):
    quarter = awkward_quarter(3)
    ScoreSheet.objects.filter(quarter=quarter, status=ScoreSheet.Status.DRAFT).delete()  # drafts hold publication up
    Exclusion.objects.filter(quarter=quarter).delete()
    unscored = [r.branch_id for c in board_compute(quarter) for r in c.unscored]
    for branch in Branch.objects.filter(pk__in=unscored):
        Exclusion.objects.create(quarter=quarter, branch=branch, reason="整改中\t暂不排名\n见说明 C:\\记录")
    expected = board_compute_detailed(quarter)
    quarter_publish(quarter=quarter, user=dept_user)
    stored = {
        e.branch_id: (e.status, e.indicator_total, e.contribution, e.total, e.rank, e.board, e.adjustment, e.note)
        for e in BoardEntry.objects.filter(quarter=quarter)
    }
    assert stored == outcome(expected)
    stored_scores: dict[int, dict[int, str]] = {}
    for branch_id, indicator_id, value in BoardScore.objects.filter(quarter=quarter).values_list(
        "branch_id", "indicator__indicator_id", "value"
    ):
        stored_scores.setdefault(branch_id, {})[indicator_id] = str(value)
    assert stored_scores == {
        r.branch_id: {k: str(v) for k, v in r.scores.items()}
        for c in expected
        for r in c.ranking + c.excluded
        if r.scores
    }
    assert BoardEntry.objects.filter(note="整改中\t暂不排名\n见说明 C:\\记录").exists()


def test_the_database_sums_only_on_postgresql():
    from django.db import connection

    assert sums_in_database() == (connection.vendor == "postgresql")

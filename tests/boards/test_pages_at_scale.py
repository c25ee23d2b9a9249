"""The preview and the branch pages at 50,000 branches (issue 20) read sums, not rows: the board
ranked from one row per branch (compute_board_from_sums), a branch page's category means summed by
the database or stored at publication (CategoryMean), the guidance to climb from the few rows it
reads, the publication desk from the boards' rows and a count. Each must say exactly what the
full computation says; checked here on the awkward data of tests/boards/test_board_sums.py."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from boards.guidance import Ranked, climb_guidance
from boards.models import BoardEntry, BoardScore, CategoryMean, Exclusion
from boards.ranking import (
    BranchInput,
    ScoreSums,
    SummedBranch,
    category_means,
    compute_board,
    compute_board_from_sums,
)
from boards.selectors import board_compute, board_compute_detailed, published_board, published_summary
from boards.selectors.branch import _live_branch_result, _live_branch_result_in_python, branch_result, climb_peers
from boards.services import quarter_publish
from branches.models import Branch
from scoring.models import ScoreSheet
from scoring.numbers import round_cent
from tests.boards.test_board_sums import awkward_quarter, outcome

ADJUSTMENTS = {("1", "red"): Decimal("1.5"), ("1", "blue"): Decimal("-1.5"), ("3", "blue"): Decimal("-0.5")}


def test_the_board_from_sums_is_the_board_of_the_same_sums():
    """Pure: the rows compute_board_from_sums ranks give what compute_board gives of BranchInputs
    carrying the same sums — ties, an unscored and an excluded branch, contribution points, a half
    cent, a category with one distinct total (no boards) and one with nobody."""
    rows = [
        SummedBranch(1, "甲", "1", Decimal("90.005"), 3, Decimal("0.5"), None),
        SummedBranch(2, "乙", "1", Decimal("90.5"), 3, Decimal("0"), None),
        SummedBranch(3, "丙", "1", Decimal("88"), 3, Decimal("0"), None),
        SummedBranch(4, "丁", "1", Decimal("88"), 3, Decimal("0"), None),
        SummedBranch(5, "戊", "1", Decimal("70"), 2, Decimal("1"), None),  # one indicator unscored
        SummedBranch(6, "己", "1", Decimal("99"), 3, Decimal("0"), "整改中"),
        SummedBranch(7, "庚", "2", Decimal("80"), 2, Decimal("0"), None),
        SummedBranch(8, "辛", "2", Decimal("80"), 2, Decimal("0"), None),
        SummedBranch(9, "壬", "1", Decimal("0"), 0, Decimal("0"), None),  # nothing scored
    ]
    required = {"1": 3, "2": 2, "3": 4}
    ids = {"1": [11, 12, 13], "2": [21, 22], "3": [31, 32, 33, 34]}
    inputs = [
        BranchInput(
            branch_id=r.branch_id,
            name=r.name,
            category=r.category,
            scores={},
            required=ids[r.category],
            contribution=r.contribution,
            excluded_reason=r.excluded_reason,
            sums=ScoreSums(r.means_total, r.scored),
        )
        for r in rows
    ]
    assert compute_board_from_sums(rows, required, ADJUSTMENTS) == compute_board(inputs, ADJUSTMENTS)
    one = compute_board_from_sums([r for r in rows if r.category == "2"], required, ADJUSTMENTS, ["2"])
    assert one == [c for c in compute_board(inputs, ADJUSTMENTS) if c.category == "2"]


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2])
def test_the_board_of_one_category_is_that_category_of_the_whole_board(seed):
    quarter = awkward_quarter(seed)
    whole = {c.category: c for c in board_compute_detailed(quarter)}
    for category in ("1", "2", "3"):
        (alone,) = board_compute(quarter, category)
        assert outcome([alone]) == outcome([whole[category]])


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_an_unpublished_branch_page_sums_the_category_means_as_the_rules_do(seed):
    """The means over the category's ranked branches, summed by the database from rounded group
    means (a mean on half a cent included), equal the rules' means of every score."""
    quarter = awkward_quarter(seed)
    for branch in Branch.objects.all():
        summed, every = _live_branch_result(quarter, branch), _live_branch_result_in_python(quarter, branch)
        assert summed.result == every.result
        assert summed.ranked_in_category == every.ranked_in_category
        assert [(line.indicator.pk, line.score, line.mean) for line in summed.lines] == [
            (line.indicator.pk, line.score, line.mean) for line in every.lines
        ]


def publishable(quarter):
    """The awkward quarter made publishable: no drafts, the unscored branches excluded."""
    ScoreSheet.objects.filter(quarter=quarter, status=ScoreSheet.Status.DRAFT).delete()
    for result in [r for c in board_compute(quarter) for r in c.unscored]:
        Exclusion.objects.get_or_create(quarter=quarter, branch_id=result.branch_id, defaults={"reason": "未完成"})
    return quarter


@pytest.mark.django_db
@pytest.mark.postgres
def test_a_published_branch_page_shows_the_means_the_published_scores_make(dept_user):
    """CategoryMean, stored by publication, is the mean of the category's ranked branches'
    published scores — what the page computed from every BoardScore before."""
    quarter = publishable(awkward_quarter(4))
    quarter_publish(quarter=quarter, user=dept_user)
    stored = {(m.category, m.indicator_id): m.mean for m in CategoryMean.objects.filter(quarter=quarter)}
    expected = {}
    for category in ("1", "2", "3"):
        ranked = BoardEntry.objects.filter(quarter=quarter, category=category, status="ranked").values("branch_id")
        values: dict[int, list[Decimal]] = {}
        for indicator_id, value in BoardScore.objects.filter(quarter=quarter, branch_id__in=ranked).values_list(
            "indicator_id", "value"
        ):
            values.setdefault(indicator_id, []).append(value)
        for indicator_id, scores in values.items():
            expected[(category, indicator_id)] = round_cent(sum(scores) / len(scores))
    assert stored == expected and len(stored) == 10 + 10 + 9
    quarter.refresh_from_db()
    for branch in Branch.objects.filter(board_entries__quarter=quarter):
        view = branch_result(quarter, branch)
        category = view.result.category
        assert [line.mean for line in view.lines] == [stored.get((category, line.indicator.pk)) for line in view.lines]


def test_category_means_are_over_ranked_branches_only():
    rows = [
        SummedBranch(1, "甲", "1", Decimal("9"), 1, Decimal("0"), None),
        SummedBranch(2, "乙", "1", Decimal("8"), 1, Decimal("0"), None),
    ]
    (board, *_rest) = compute_board_from_sums(rows, {"1": 1}, {})
    board.ranking = [replace(r, scores={7: r.total}) for r in board.ranking]
    board.unscored = [replace(board.ranking[0], status="unscored", scores={7: Decimal("0")})]
    assert category_means([board]) == {("1", 7): Decimal("8.50")}


def _ranking(quarter, category) -> list[Ranked]:
    return [
        Ranked(branch_id=e.branch_id, name=e.branch_name, total=e.total, rank=e.rank)
        for e in BoardEntry.objects.filter(quarter=quarter, category=category, status="ranked").order_by(
            "rank", "branch_name"
        )
    ]


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_guidance_from_the_few_rows_it_reads_is_the_guidance_from_the_whole_category(dept_user):
    from tests.boards.helpers import score_quarter
    from tests.factories import QuarterFactory

    quarter = QuarterFactory(code="2033Q1", status="scoring")
    # Ties at the top, in the middle and at the bottom.
    fractions = ["0.9", "0.9", "0.8", "0.7", "0.7", "0.7", "0.6", "0.5", "0.5"]
    score_quarter(quarter, {"1": fractions, "2": ["0.6", "0.6"], "3": ["0.7"]})
    quarter_publish(quarter=quarter, user=dept_user)
    for category in ("1", "2", "3"):
        ranking = _ranking(quarter, category)
        for own in ranking:
            full = climb_guidance(own_id=own.branch_id, ranking=ranking, lines=[])
            few = climb_peers(quarter, category, own.branch_id)
            assert len(few) <= 7
            assert climb_guidance(own_id=own.branch_id, ranking=few, lines=[], ranked=len(ranking)) == full


@pytest.mark.django_db
def test_the_publication_desk_summary_is_the_published_board(dept_user):
    quarter = publishable(awkward_quarter(5))
    quarter_publish(quarter=quarter, user=dept_user)
    quarter.refresh_from_db()
    summary = published_summary(quarter)
    board = published_board(quarter)
    assert [(s.category, s.ranked_count, s.red, s.blue, s.unscored, s.excluded) for s in summary] == [
        (c.category, len(c.ranking), c.red, c.blue, c.unscored, c.excluded) for c in board
    ]


@pytest.mark.django_db
def test_the_board_from_rows_holds_only_the_quarters_own_units_branches():
    """Issue 17: a quarter evaluates its own evaluating unit's branches; another unit's branch,
    scored on a sheet of the same quarter all the same, is on neither path's board."""
    from branches import units
    from scoring.services import quarter_create
    from tests.boards.helpers import score_quarter

    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    quarter = quarter_create(code="2034Q1", unit=baiyin)
    branches = score_quarter(quarter, {"1": ["0.9", "0.8"], "2": ["0.7"]})
    Branch.objects.filter(pk__in=[b.pk for b in branches.values()]).update(unit=baiyin, evaluating_unit=baiyin)
    Branch.objects.filter(pk=branches["支部1-002"].pk).update(unit=tianshui, evaluating_unit=tianshui)
    names = {r.name for c in board_compute(quarter) for r in c.ranking + c.unscored + c.excluded}
    assert names == {"支部1-001", "支部2-001"}
    assert outcome(board_compute(quarter)) == outcome(board_compute_detailed(quarter))

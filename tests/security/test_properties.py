"""Property tests (hypothesis) of the board rules and of score input from every door: the pure rules
in boards.ranking, scoring.services.score_error, the score form field and the Excel import's cell
parser, all against random input."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from boards.ranking import BLUE, RED, BranchInput, compute_board
from reports.imports import parse_score_cell
from scoring.forms import ScoreField
from scoring.scores import score_error

CATEGORIES = ("1", "2", "3")
tenths = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 10)
cents = st.integers(min_value=-500, max_value=2000).map(lambda n: Decimal(n) / 100)
points = st.integers(min_value=-300, max_value=300).map(lambda n: Decimal(n) / 100)


@st.composite
def boards(draw):
    """Branches over three categories with 1-3 indicators scored by 1-2 groups; a few unscored or
    excluded; an adjustment table of random points."""
    indicators = {c: list(range(int(c) * 10, int(c) * 10 + draw(st.integers(1, 3)))) for c in CATEGORIES}
    branches = []
    for n in range(draw(st.integers(0, 24))):
        category = draw(st.sampled_from(CATEGORIES))
        required = indicators[category]
        scores = {i: draw(st.lists(tenths, min_size=1, max_size=2)) for i in required}
        if draw(st.integers(0, 9)) == 0:
            scores.pop(required[0])  # unscored
        branches.append(
            BranchInput(
                branch_id=n,
                name=f"支部{n:02d}",
                category=category,
                scores=scores,
                required=required,
                contribution=draw(cents),
                excluded_reason="未参加" if draw(st.integers(0, 14)) == 0 else None,
            )
        )
    table = {(c, b): draw(points) for c in CATEGORIES for b in (RED, BLUE)}
    return branches, table


@settings(max_examples=300, deadline=None)
@given(boards())
def test_ranks_are_competition_ranks_in_total_order(board):
    branches, table = board
    for category in compute_board(branches, table):
        totals = [r.total for r in category.ranking]
        assert totals == sorted(totals, reverse=True)
        for r in category.ranking:
            # rank = 1 + how many in the category are strictly ahead: 1, 2, 2, 4 — never 1, 2, 2, 3.
            assert r.rank == 1 + sum(1 for other in totals if other > r.total)
        assert all(r.category == category.category for r in category.ranking)


@settings(max_examples=300, deadline=None)
@given(boards())
def test_red_and_blue_never_share_a_branch_and_are_the_top_and_bottom(board):
    branches, table = board
    for category in compute_board(branches, table):
        red = {r.branch_id for r in category.red}
        blue = {r.branch_id for r in category.blue}
        assert not red & blue
        totals = {r.total for r in category.ranking}
        if len(totals) >= 2:
            assert red == {r.branch_id for r in category.ranking if r.total == max(totals)}
            assert blue == {r.branch_id for r in category.ranking if r.total == min(totals)}
        else:
            assert not red and not blue
        ranked_ids = {r.branch_id for r in category.ranking}
        assert ranked_ids.isdisjoint(r.branch_id for r in category.unscored + category.excluded)


@settings(max_examples=300, deadline=None)
@given(boards())
def test_the_adjustments_are_the_table_applied_to_the_boards(board):
    branches, table = board
    categories = compute_board(branches, table)
    expected = sum(
        (table[(c.category, RED)] * len(c.red) + table[(c.category, BLUE)] * len(c.blue) for c in categories),
        Decimal("0"),
    )
    assert sum((r.adjustment for c in categories for r in c.ranking), Decimal("0")) == expected
    for c in categories:
        for r in c.ranking:
            assert r.adjustment == (table[(c.category, r.board)] if r.board else Decimal("0"))
        for r in c.unscored + c.excluded:
            assert r.adjustment == 0


@settings(max_examples=300, deadline=None)
@given(boards(), st.sampled_from(CATEGORIES), st.integers(-1000, 1000).map(lambda n: Decimal(n) / 100))
def test_the_same_points_for_every_branch_of_a_category_change_no_rank(board, category, extra):
    branches, table = board
    shifted = [
        BranchInput(**{**b.__dict__, "contribution": b.contribution + extra}) if b.category == category else b
        for b in branches
    ]

    def places(categories):
        return {r.branch_id: (r.rank, r.board) for c in categories for r in c.ranking}

    assert places(compute_board(shifted, table)) == places(compute_board(branches, table))


# --- score input ---------------------------------------------------------------------------------

maxima = st.integers(min_value=1, max_value=300).map(lambda n: Decimal(n) / 10)


@settings(deadline=None)
@given(st.decimals(allow_nan=True, allow_infinity=True), maxima)
def test_score_error_accepts_exactly_the_tenths_between_zero_and_the_maximum(value, maximum):
    error = score_error(value, maximum)
    acceptable = value.is_finite() and 0 <= value <= maximum and value == value.quantize(Decimal("0.1"))
    assert (error is None) == acceptable
    if error is not None:
        assert isinstance(error, str) and error


digits = st.text(alphabet="0123456789０１２３４５６７８９", min_size=0, max_size=4)
number_like = st.builds(
    lambda sign, whole, point, frac, exponent, pad: f"{pad}{sign}{whole}{point}{frac}{exponent}{pad}",
    st.sampled_from(["", "+", "-", "－"]),
    digits,
    st.sampled_from(["", ".", "。", "．", ","]),
    digits,
    st.sampled_from(["", "e1", "E-1", "e+0"]),
    st.sampled_from(["", " ", "\u3000"]),
)
score_texts = st.one_of(
    number_like,
    st.text(max_size=12),
    st.text(alphabet="0123456789.-+eE ，。．０１２３４５６７８９", max_size=8),
    tenths.map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def form_value(text: str, maximum: Decimal):
    field = ScoreField(max_score=maximum)
    try:
        return ("ok", field.clean(text))
    except Exception as exc:  # anything but a ValidationError is a bug
        from django.core.exceptions import ValidationError

        assert isinstance(exc, ValidationError), repr(exc)
        assert exc.messages and all(m for m in exc.messages)
        return ("error", None)


@settings(deadline=None)
@given(score_texts, maxima)
def test_the_score_form_never_crashes_and_accepts_only_valid_scores(text, maximum):
    outcome, value = form_value(text, maximum)
    if outcome == "ok" and value is not None:
        assert score_error(value, maximum) is None


def cell_with(value):
    cell = Workbook().active["B3"]
    cell.value = value
    return cell


cell_values = st.one_of(
    st.none(),
    score_texts,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=1000),
)


@settings(deadline=None)
@given(cell_values, maxima)
def test_the_import_never_crashes_and_accepts_only_valid_scores(raw, maximum):
    try:
        cell = cell_with(raw)
    except (ValueError, IllegalCharacterError):
        assume(False)  # openpyxl itself refuses the value (e.g. control characters): not our input
    value, error = parse_score_cell(cell, maximum)
    assert value is None or error is None
    if value is not None:
        assert score_error(value, maximum) is None
    if error is not None:
        assert isinstance(error, str) and error


@settings(max_examples=500, deadline=None)
@given(score_texts, maxima)
def test_the_import_and_the_form_agree_on_typed_text(text, maximum):
    try:
        cell = cell_with(text)
    except (ValueError, IllegalCharacterError):
        assume(False)
    assume(not text.startswith("="))  # a formula in Excel; the form has no such thing
    value, error = parse_score_cell(cell, maximum)
    outcome, form = form_value(text, maximum)
    assert (error is None) == (outcome == "ok"), (text, error, outcome)
    assert value == form or (value is None and form is None)

"""The board's rules on plain data (boards.ranking), case by case."""

from __future__ import annotations

from decimal import Decimal as D

from boards.ranking import BLUE, RED, BranchInput, competition_ranks, compute_board, indicator_total

ADJ = {("1", RED): D("1.5"), ("1", BLUE): D("-1.5"), ("3", RED): D("0"), ("3", BLUE): D("-0.5")}


def branch(i, total, category="1", contribution="0", excluded=None, required=(1,)):
    scores = {1: [D(total)]} if total is not None else {}
    return BranchInput(i, f"支部{i}", category, scores, required, D(contribution), excluded)


def board(*branches):
    return {c.category: c for c in compute_board(branches, ADJ)}


def test_competition_ranks_share_and_skip():
    assert competition_ranks([D(9), D(8), D(8), D(7)]) == [1, 2, 2, 4]
    assert competition_ranks([D(9), D(9), D(7)]) == [1, 1, 3]
    assert competition_ranks([]) == []


def test_the_mean_of_several_groups_counts_and_every_indicator_is_needed():
    assert indicator_total({1: [D("8"), D("9")], 2: [D("5")]}, [1, 2]) == D("13.50")
    assert indicator_total({1: [D("8")]}, [1, 2]) is None
    assert indicator_total({1: [D("1"), D("1"), D("2")]}, [1]) == D("1.33")


def test_first_is_red_last_is_blue_with_the_tables_adjustment():
    cat = board(branch(1, "90"), branch(2, "95"), branch(3, "80"))["1"]
    assert [(r.name, r.rank, r.board, r.adjustment) for r in cat.ranking] == [
        ("支部2", 1, RED, D("1.5")),
        ("支部1", 2, "", D("0")),
        ("支部3", 3, BLUE, D("-1.5")),
    ]


def test_ties_at_the_top_and_bottom_all_go_on_the_board():
    cat = board(branch(1, "95"), branch(2, "95"), branch(3, "90"), branch(4, "80"), branch(5, "80"))["1"]
    assert [r.rank for r in cat.ranking] == [1, 1, 3, 4, 4]
    assert {r.name for r in cat.red} == {"支部1", "支部2"}
    assert {r.name for r in cat.blue} == {"支部4", "支部5"}


def test_one_branch_or_all_equal_means_no_board():
    assert board(branch(1, "95"))["1"].red == [] and board(branch(1, "95"))["1"].blue == []
    cat = board(branch(1, "90"), branch(2, "90"))["1"]
    assert [r.rank for r in cat.ranking] == [1, 1] and not cat.red and not cat.blue


def test_contribution_points_are_added_to_the_total():
    cat = board(branch(1, "90", contribution="2.5"), branch(2, "92"))["1"]
    assert [(r.name, r.total) for r in cat.ranking] == [("支部1", D("92.50")), ("支部2", D("92.00"))]


def test_unscored_and_excluded_branches_are_not_ranked():
    cat = board(branch(1, "90"), branch(2, None), branch(3, "70", excluded="因机构调整不参加排名"), branch(4, "85"))[
        "1"
    ]
    assert [r.name for r in cat.ranking] == ["支部1", "支部4"]
    assert [r.name for r in cat.unscored] == ["支部2"]
    assert [(r.name, r.note) for r in cat.excluded] == [("支部3", "因机构调整不参加排名")]


def test_categories_are_never_compared():
    result = board(branch(1, "99"), branch(2, "60"), branch(3, "70", category="3"), branch(4, "75", category="3"))
    assert [r.name for r in result["3"].red] == ["支部4"]
    assert result["3"].red[0].adjustment == D("0")
    assert result["3"].blue[0].adjustment == D("-0.5")

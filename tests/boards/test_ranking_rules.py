"""More of the board's rules on plain data (boards.ranking), case by case, beyond test_ranking.py."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from boards.announcement import announcement_text, points_text
from boards.ranking import (
    BLUE,
    EXCLUDED,
    RED,
    UNSCORED,
    BranchInput,
    compute_board,
    evaluate_branch,
)

ADJ = {("1", RED): D("1.5"), ("1", BLUE): D("-1.5"), ("2", RED): D("1.5"), ("2", BLUE): D("-1.5")}


def inp(i, scores, category="1", contribution="0", excluded=None, required=(1, 2)):
    return BranchInput(i, f"支部{i}", category, scores, required, D(contribution), excluded)


def by_category(*branches, adjustments=ADJ):
    return {c.category: c for c in compute_board(branches, adjustments)}


def test_several_groups_on_one_branch_are_averaged_per_indicator():
    result = evaluate_branch(inp(1, {1: [D("8"), D("9")], 2: [D("10"), D("9"), D("8")]}))
    assert result.indicator_total == D("17.50")
    assert result.scores == {1: D("8.50"), 2: D("9.00")}


def test_a_tie_at_the_bottom_puts_both_on_the_blue_board():
    cat = by_category(inp(1, {1: [D(9)], 2: [D(9)]}), inp(2, {1: [D(7)], 2: [D(7)]}), inp(3, {1: [D(7)], 2: [D(7)]}))[
        "1"
    ]
    assert [(r.name, r.rank, r.board) for r in cat.ranking] == [
        ("支部1", 1, RED),
        ("支部2", 2, BLUE),
        ("支部3", 2, BLUE),
    ]
    assert [r.adjustment for r in cat.blue] == [D("-1.5"), D("-1.5")]


def test_three_equal_totals_make_no_board_and_share_rank_one():
    cat = by_category(*(inp(i, {1: [D(8)], 2: [D(8)]}) for i in range(1, 4)))["1"]
    assert [r.rank for r in cat.ranking] == [1, 1, 1]
    assert cat.red == [] and cat.blue == []
    assert all(r.adjustment == 0 for r in cat.ranking)


def test_two_distinct_totals_make_a_board_even_with_only_two_branches():
    cat = by_category(inp(1, {1: [D(8)], 2: [D(8)]}), inp(2, {1: [D(8)], 2: [D("7.9")]}))["1"]
    assert [r.name for r in cat.red] == ["支部1"] and [r.name for r in cat.blue] == ["支部2"]


def test_ranking_is_on_the_total_rounded_to_a_cent():
    # 1/3 + 1/3 … : 支部1's mean is 8.333…, 支部2 scores 8.33 flat; rounded, both total 16.33.
    a = inp(1, {1: [D(8), D(8), D(9)], 2: [D(8)]})
    b = inp(2, {1: [D("8.33")], 2: [D(8)]})
    cat = by_category(a, b, inp(3, {1: [D(1)], 2: [D(1)]}))["1"]
    assert [(r.name, r.total, r.rank) for r in cat.ranking] == [
        ("支部1", D("16.33"), 1),
        ("支部2", D("16.33"), 1),
        ("支部3", D("2.00"), 3),
    ]
    assert {r.name for r in cat.red} == {"支部1", "支部2"}


def test_half_a_cent_rounds_up():
    assert evaluate_branch(inp(1, {1: [D("8.005")], 2: [D(0)]})).total == D("8.01")


def test_contribution_points_can_change_the_order():
    cat = by_category(inp(1, {1: [D(9)], 2: [D(9)]}), inp(2, {1: [D(9)], 2: [D(8)]}, contribution="1.5"))["1"]
    assert [(r.name, r.total) for r in cat.ranking] == [("支部2", D("18.50")), ("支部1", D("18.00"))]


def test_an_unscored_indicator_keeps_a_branch_out_even_with_contribution_points():
    result = evaluate_branch(inp(1, {1: [D(9)]}, contribution="5"))
    assert result.status == UNSCORED and result.total is None


def test_an_excluded_branch_is_excluded_even_when_fully_scored():
    result = evaluate_branch(inp(1, {1: [D(9)], 2: [D(9)]}, excluded="机构调整"))
    assert result.status == EXCLUDED and result.note == "机构调整"


def test_a_category_with_only_unscored_branches_has_no_ranking():
    cat = by_category(inp(1, {1: [D(9)]}), inp(2, {}))["1"]
    assert cat.ranking == [] and [r.name for r in cat.unscored] == ["支部1", "支部2"]


def test_the_adjustment_table_decides_the_points():
    table = {("1", RED): D("2"), ("1", BLUE): D("-0.25")}
    cat = by_category(inp(1, {1: [D(9)], 2: [D(9)]}), inp(2, {1: [D(1)], 2: [D(1)]}), adjustments=table)["1"]
    assert [(r.board, r.adjustment) for r in cat.ranking] == [(RED, D("2")), (BLUE, D("-0.25"))]


def test_a_missing_table_row_means_no_points():
    cat = by_category(inp(1, {1: [D(9)], 2: [D(9)]}), inp(2, {1: [D(1)], 2: [D(1)]}), adjustments={})["1"]
    assert [(r.board, r.adjustment) for r in cat.ranking] == [(RED, D("0")), (BLUE, D("0"))]


def test_points_read_as_chinese():
    assert points_text(D("1.50")) == "加1.5分"
    assert points_text(D("-0.50")) == "扣0.5分"
    assert points_text(D("0.00")) == "不加扣分"


def test_the_announcement_names_both_boards_and_the_exclusions():
    board = compute_board(
        [
            inp(1, {1: [D(9)], 2: [D(9)]}),
            inp(2, {1: [D(5)], 2: [D(5)]}),
            inp(3, {}, excluded="机构调整"),
            inp(4, {1: [D(7)], 2: [D(7)]}, category="2"),
        ],
        ADJ,
    )
    text = announcement_text(quarter_label="2031年第1季度", categories=board, company="某供电公司")
    assert "关于2031年第1季度基层党组织差异化考评结果的通报" in text
    assert "一、红榜：Ⅰ类：支部1（18.00分）。" in text
    assert "二、蓝榜：Ⅰ类：支部2（10.00分）。" in text
    assert "支部1加1.5分；支部2扣1.5分" in text
    assert "Ⅱ类参加排名的党组织得分相同或不足两个" in text
    assert "支部3（机构调整）" in text


@given(st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=1, max_size=12))
def test_for_any_totals_red_is_the_top_and_blue_the_bottom(totals):
    cat = compute_board([inp(i, {1: [t], 2: [D(0)]}) for i, t in enumerate(totals)], ADJ)[0]
    ranked = [r.total for r in cat.ranking]
    assert ranked == sorted(ranked, reverse=True)
    for position, r in enumerate(cat.ranking):
        assert r.rank == 1 + sum(1 for other in ranked if other > r.total)  # competition rank
        assert position + 1 >= r.rank
    if len(set(ranked)) < 2:
        assert not cat.red and not cat.blue
    else:
        assert {r.branch_id for r in cat.red} == {r.branch_id for r in cat.ranking if r.total == max(ranked)}
        assert {r.branch_id for r in cat.blue} == {r.branch_id for r in cat.ranking if r.total == min(ranked)}

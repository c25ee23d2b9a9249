"""The roll-up's numbers are each unit's published board, read back: computed here independently
from the BoardEntry rows, unit by unit, and compared with what rollup_for says."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from boards.models import BoardEntry
from branches.models import Unit
from interviews.models import Interview, ItemStatus, RectificationItem
from rollup.selectors import RollupNotFound, rollup_for, trend_for
from rollup.selectors.page import rollup_page
from scoring.models import Quarter
from tests.rollup.helpers import (
    BAIYIN,
    DINGXI,
    PROVINCE,
    TIANSHUI,
    Line,
    add_quarter,
    branch,
    province_tree,
    publish_rows,
    standard_board,
)

pytestmark = pytest.mark.django_db


def expected_row(quarter: Quarter) -> dict:
    """What the roll-up must say of one unit, from its BoardEntry rows alone."""
    rows = list(BoardEntry.objects.filter(quarter=quarter))
    ordered = sorted(rows, key=lambda e: (e.category, e.rank or 0, e.branch_name))
    means = {}
    for category in "123":
        totals = [e.total for e in rows if e.category == category and e.status == BoardEntry.Status.RANKED]
        if totals:
            means[category] = (sum(totals) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "branches": len(rows),
        "unscored": sum(1 for e in rows if e.status == BoardEntry.Status.UNSCORED),
        "red": [e.branch_name for e in ordered if e.board == "red"],
        "blue": [e.branch_name for e in ordered if e.board == "blue"],
        "means": means,
    }


@pytest.fixture
def province():
    """Two cities published with the same branch names (scores differing), one still scoring."""
    units = province_tree()
    baiyin = add_quarter(units[BAIYIN], "2019Q1")
    publish_rows(baiyin, standard_board())
    dingxi = add_quarter(units[DINGXI], "2019Q1")
    lines = [
        Line("财务部党支部", "3", "92.00", 1, "red"),
        Line("营销部党支部", "3", "90.00", 2, "blue"),
        Line("办公室党支部", "2", "93.00", 1, "red"),
        Line("安监部党支部", "2", "89.00", 2, "blue"),
    ]
    publish_rows(dingxi, lines)
    tianshui = add_quarter(units[TIANSHUI], "2019Q1", Quarter.Status.SCORING)
    for name in ("财务部党支部", "营销部党支部", "办公室党支部"):
        branch(units[TIANSHUI], name, "3")
    return units, {BAIYIN: baiyin, DINGXI: dingxi, TIANSHUI: tianshui}


def test_each_published_unit_shows_its_own_board(province):
    units, quarters = province
    rollup = rollup_for(units[PROVINCE], "2019Q1")
    by_name = {r.name: r for r in rollup.rows}
    for name in (BAIYIN, DINGXI):
        row, expected = by_name[name], expected_row(quarters[name])
        assert row.published
        assert row.branches == expected["branches"]
        assert row.unscored == expected["unscored"]
        assert row.red == expected["red"]
        assert row.blue == expected["blue"]
        assert {c: s.mean for c, s in row.categories.items() if s.n} == expected["means"]
    assert by_name[BAIYIN].red == ["白银变电运检中心党支部", "电力调度中心党总支部", "财务部党支部"]
    assert by_name[DINGXI].red == ["办公室党支部", "财务部党支部"]  # Ⅱ before Ⅲ


def test_the_same_branch_names_in_two_units_never_mix(province):
    units, _ = province
    by_name = {r.name: r for r in rollup_for(units[PROVINCE], "2019Q1").rows}
    assert "营销部党支部" in by_name[BAIYIN].blue and "营销部党支部" in by_name[DINGXI].blue
    assert "财务部党支部" in by_name[BAIYIN].red and "财务部党支部" in by_name[DINGXI].red
    assert by_name[BAIYIN].categories["3"].mean == Decimal("90.17")  # 95, 91, 84.5
    assert by_name[DINGXI].categories["3"].mean == Decimal("91.00")  # 92, 90


def test_an_unpublished_unit_shows_no_result_only_its_branches(province):
    units, _ = province
    row = {r.name: r for r in rollup_for(units[PROVINCE], "2019Q1").rows}[TIANSHUI]
    assert not row.published and row.status == Quarter.Status.SCORING
    assert (row.red, row.blue, row.unscored, row.categories, row.items) == ([], [], 0, {}, 0)
    assert row.branches == 3  # active branches it evaluates: an organisational fact


def test_only_evaluating_units_of_the_subtree_are_rows_in_tree_order(province):
    units, _ = province
    rollup = rollup_for(units[PROVINCE], "2019Q1")
    in_tree_order = sorted((BAIYIN, DINGXI, TIANSHUI), key=lambda name: Unit.objects.get(name=name).path)
    assert [r.name for r in rollup.rows] == in_tree_order
    assert [r.name for r in rollup_for(units[BAIYIN], "2019Q1").rows] == [BAIYIN]


def test_a_county_under_a_city_counts_in_the_citys_board(province):
    units, quarters = province
    county = units["会宁县供电公司"]
    publish_rows(quarters[BAIYIN], [Line("会宁县供电公司党总支", "1", "90.00", 2)], unit=county)
    assert branch(county, "会宁县供电公司党总支").evaluating_unit == units[BAIYIN]
    row = {r.name: r for r in rollup_for(units[PROVINCE], "2019Q1").rows}[BAIYIN]
    assert row.branches == expected_row(quarters[BAIYIN])["branches"] == 10
    assert "会宁县供电公司" not in [r.name for r in rollup_for(units[PROVINCE], "2019Q1").rows]


def test_the_distribution_bins_every_published_ranked_total(province):
    units, _quarters = province
    rollup = rollup_for(units[PROVINCE], "2019Q1")
    by_category = {d.category: d for d in rollup.distributions}
    # Ⅲ: Baiyin 95, 91, 84.5; Dingxi 92, 90 → <85: 1, 88–91: 1, 91–94: 2, 94–97: 1.
    assert by_category["3"].counts == [1, 0, 1, 2, 1, 0]
    assert by_category["3"].n == 5 and by_category["3"].mean == Decimal("90.50")
    # Ⅱ: 97.2, 86, 86 (Baiyin), 93, 89 (Dingxi); the unscored branch is not binned.
    assert by_category["2"].counts == [0, 2, 1, 1, 0, 1]
    assert rollup.total_branches == 13 and rollup.total_unscored == 1


def test_blue_twice_running_is_the_same_branch_in_its_units_previous_published_quarter(province):
    units, _quarters = province
    before = add_quarter(units[BAIYIN], "2018Q4")
    publish_rows(before, [Line("营销部党支部", "3", "80.00", 2, "blue"), Line("财务部党支部", "3", "90.00", 1, "red")])
    # Dingxi's 营销部 was blue two quarters back, but not in its previous published quarter.
    publish_rows(add_quarter(units[DINGXI], "2018Q3"), [Line("营销部党支部", "3", "80.00", 1, "blue")])
    publish_rows(add_quarter(units[DINGXI], "2018Q4"), [Line("营销部党支部", "3", "95.00", 1, "red")])
    rows = {r.name: r for r in rollup_for(units[PROVINCE], "2019Q1").rows}
    assert rows[BAIYIN].repeat_blue == ["营销部党支部"]
    assert rows[DINGXI].repeat_blue == []
    assert rollup_for(units[PROVINCE], "2019Q1").repeat_blue_count == 1


def test_rectification_completion_and_overdue_items_per_unit(province):
    units, quarters = province
    today = datetime.date(2019, 6, 1)
    entry = BoardEntry.objects.get(quarter=quarters[BAIYIN], branch_name="营销部党支部")
    interview = Interview.objects.create(quarter=quarters[BAIYIN], branch=entry.branch)
    RectificationItem.objects.create(interview=interview, description="a", status=ItemStatus.ACCEPTED)
    RectificationItem.objects.create(
        interview=interview, description="b", status=ItemStatus.IN_PROGRESS, deadline=datetime.date(2019, 5, 1)
    )
    RectificationItem.objects.create(
        interview=interview, description="c", status=ItemStatus.IN_PROGRESS, deadline=datetime.date(2019, 7, 1)
    )
    RectificationItem.objects.create(
        interview=interview, description="d", status=ItemStatus.COMPLETED, deadline=datetime.date(2019, 5, 1)
    )
    rollup = rollup_for(units[PROVINCE], "2019Q1", today=today)
    row = {r.name: r for r in rollup.rows}[BAIYIN]
    assert (row.items, row.accepted, row.overdue, row.completion) == (4, 1, 1, 25)
    assert rollup.completion == 25 and rollup.total_overdue == 1


def test_quarters_are_matched_by_code(province):
    units, _ = province
    publish_rows(add_quarter(units[DINGXI], "2019Q2"), [Line("财务部党支部", "3", "92.00", 1, "red")])
    rows = rollup_for(units[PROVINCE], "2019Q2").rows
    assert {(r.name, r.published, r.status) for r in rows} == {
        (BAIYIN, False, ""),
        (DINGXI, True, Quarter.Status.PUBLISHED),
        (TIANSHUI, False, ""),
    }


def test_an_unknown_code_is_refused_in_chinese(province):
    units, _ = province
    with pytest.raises(RollupNotFound, match="没有季度“2030Q1”"):
        rollup_for(units[PROVINCE], "2030Q1")
    with pytest.raises(RollupNotFound, match="没有季度“Q1”"):
        rollup_for(units[PROVINCE], "Q1")


def test_the_trend_counts_each_code_over_the_subtree(province):
    units, _ = province
    publish_rows(add_quarter(units[DINGXI], "2018Q4"), [Line("财务部党支部", "3", "92.00", 1, "red")])
    trend = trend_for(units[PROVINCE])
    assert [(t.code, t.units, t.published, t.ranked, t.red, t.blue) for t in trend] == [
        ("2018Q4", 1, 1, 1, 1, 0),
        ("2019Q1", 3, 2, 12, 5, 6),
    ]
    assert trend[-1].means["3"] == Decimal("90.50")


def _page_equals_the_whole_rollup(top, code, today=None):
    """What the page shows (its SQL totals, its page of rows) is what the whole roll-up says."""
    whole = rollup_for(top, code, today=today)
    page = rollup_page(top, code, per_page=100, today=today)
    for total in ("published_count", "total_branches", "total_unscored", "repeat_blue_count", "total_items"):
        assert getattr(page, total) == getattr(whole, total), total
    assert (page.total_accepted, page.total_overdue, page.completion) == (
        whole.total_accepted,
        whole.total_overdue,
        whole.completion,
    )
    assert page.unit_count == len(whole.rows)
    assert page.total_red == sum(len(r.red) for r in whole.published_rows)
    assert page.total_blue == sum(len(r.blue) for r in whole.published_rows)
    assert page.total_ranked == sum(r.ranked for r in whole.published_rows)
    assert page.total_excluded == sum(r.excluded for r in whole.published_rows)
    assert page.distributions == whole.distributions
    shown = {r.unit_id: r for r in page.rows}
    assert set(shown) == {r.unit_id for r in whole.rows}
    for row in whole.rows:
        got = shown[row.unit_id]
        assert (got.name, got.status, got.branches, got.unscored, got.red, got.blue, got.repeat_blue) == (
            row.name,
            row.status,
            row.branches,
            row.unscored,
            row.red,
            row.blue,
            row.repeat_blue,
        )
        assert (got.categories, got.items, got.accepted, got.overdue) == (
            row.categories,
            row.items,
            row.accepted,
            row.overdue,
        )
        assert got.has_children == row.has_children
    return page, whole


def test_the_page_sums_in_sql_what_the_whole_rollup_adds_up_unit_by_unit(province):
    units, quarters = province
    publish_rows(add_quarter(units[BAIYIN], "2018Q4"), [Line("营销部党支部", "3", "80.00", 2, "blue")])
    entry = BoardEntry.objects.get(quarter=quarters[BAIYIN], branch_name="营销部党支部")
    interview = Interview.objects.create(quarter=quarters[BAIYIN], branch=entry.branch)
    RectificationItem.objects.create(interview=interview, description="a", status=ItemStatus.ACCEPTED)
    late = datetime.date(2019, 5, 1)
    RectificationItem.objects.create(interview=interview, description="b", status=ItemStatus.IN_PROGRESS, deadline=late)
    page, _whole = _page_equals_the_whole_rollup(units[PROVINCE], "2019Q1", today=datetime.date(2019, 6, 1))
    assert (page.repeat_blue_count, page.total_items, page.total_overdue, page.total_branches) == (1, 2, 1, 13)
    by_category = {d.category: d for d in page.distributions}
    assert (by_category["3"].low, by_category["3"].high) == (Decimal("84.50"), Decimal("95.00"))
    _page_equals_the_whole_rollup(units[BAIYIN], "2019Q1")


def test_the_page_shows_the_next_level_first_and_filters_by_name_and_state(province):
    units, _ = province
    county = Unit.objects.get(pk=units["会宁县供电公司"].pk)
    # A county that evaluates itself, under Baiyin: one level further down, after every city.
    county.is_evaluating = True
    county.save()
    publish_rows(add_quarter(county, "2019Q1"), [Line("会宁财务党支部", "3", "92.00", 1, "red")])
    page = rollup_page(units[PROVINCE], "2019Q1")
    assert [r.name for r in page.rows][-1] == "会宁县供电公司"
    assert {r.name: r.has_children for r in page.rows}[BAIYIN] is True
    assert [r.name for r in rollup_page(units[PROVINCE], "2019Q1", search="定西").rows] == [DINGXI]
    assert [r.name for r in rollup_page(units[PROVINCE], "2019Q1", state="unpublished").rows] == [TIANSHUI]
    assert rollup_page(units[PROVINCE], "2019Q1", state="attention").rows == []
    assert rollup_page(units[PROVINCE], "2019Q1", search="定西").unit_count == 4
    second = rollup_page(units[PROVINCE], "2019Q1", per_page=3, number=2)
    assert [r.name for r in second.rows] == ["会宁县供电公司"] and second.published_count == 3

"""The roll-up's queries do not grow with the number of units (pinned exactly, each one named)."""

from __future__ import annotations

import pytest

from rollup.models import QuarterSummary
from rollup.selectors import rollup_for, trend_for
from tests.rollup.helpers import Line, add_quarter, add_unit, publish_rows

pytestmark = pytest.mark.django_db


def tree(cities: int):
    province = add_unit("国网甘肃省电力公司", evaluating=False)
    for n in range(cities):
        city = add_unit(f"城市{n:03d}供电公司", province)
        quarter = add_quarter(city, "2019Q1")
        publish_rows(
            quarter,
            [
                Line("财务部党支部", "3", "95.00", 1, "red"),
                Line("营销部党支部", "3", "85.00", 2, "blue"),
                Line("办公室党支部", "2", "90.00", 1, "red"),
                Line("物资部党支部", "2", None),
            ],
        )
        if n % 2:
            publish_rows(add_quarter(city, "2018Q4"), [Line("营销部党支部", "3", "85.00", 1, "blue")])
    add_unit("未建季度供电公司", province)
    province.refresh_from_db()
    return province


@pytest.mark.parametrize("cities", [2, 15])
def test_the_rollup_takes_six_queries_whatever_the_number_of_units(django_assert_num_queries, cities):
    province = tree(cities)
    with django_assert_num_queries(9):
        # The first roll-up meets the boards: 1 the code exists in the subtree; 2 the evaluating
        # units; 3 their quarters of the code, each with its previous published quarter; 4 the
        # boards' summaries (none yet); 5 their board rows grouped; 6 their red and blue rows;
        # 7 the summaries stored; 8 rectification counts; 9 the unpublished units' active branches
        rollup_for(province, "2019Q1")
    with django_assert_num_queries(6):
        # 1 the code; 2 the units; 3 their quarters; 4 the summaries; 5 rectification; 6 unpublished units' branches
        rollup = rollup_for(province, "2019Q1")
    assert QuarterSummary.objects.count() == cities + cities // 2
    assert len(rollup.rows) == cities + 1
    assert rollup.repeat_blue_count == cities // 2


@pytest.mark.parametrize("cities", [2, 15])
def test_the_trend_takes_four_queries_whatever_the_number_of_units(django_assert_num_queries, cities):
    province = tree(cities)
    with django_assert_num_queries(7):
        # 1 quarters per code; 2 published quarters without a summary; 3–4 their board rows grouped
        # and their red and blue rows; 5 the summaries stored; 6 the summaries per code;
        # 7 rectification per code
        trend_for(province)
    with django_assert_num_queries(4):
        # 1 quarters per code; 2 published quarters without a summary (none); 3 the summaries per
        # code; 4 rectification per code
        trend = trend_for(province)
    assert [t.code for t in trend] == ["2018Q4", "2019Q1"]
    assert trend[-1].ranked == 3 * cities and trend[0].blue == cities // 2

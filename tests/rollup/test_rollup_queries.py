"""The roll-up's queries do not grow with the number of units (pinned exactly, each one named): the
page and the big screen (their totals summed in SQL, only the shown rows read), the whole roll-up
of `rollup --json` and the workbook, and the trend. The same counts on PostgreSQL and SQLite."""

from __future__ import annotations

import datetime
from contextlib import nullcontext

import pytest
from django.db import connection
from django.urls import reverse

from branches import roles
from interviews.models import Interview, ItemStatus, RectificationItem
from rollup.models import QuarterSummary
from rollup.selectors import rollup_for, trend_for
from tests.helpers import make_user
from tests.rollup.helpers import Line, add_quarter, add_unit, branch, publish_rows

pytestmark = pytest.mark.django_db

SIZES = [2, 20]


def tree(cities: int):
    """A province over `cities` published cities (every second one blue twice running, with an
    overdue rectification item), each with a county that evaluates itself, one unit with no quarter."""
    province = add_unit("国网甘肃省电力公司", evaluating=False)
    for n in range(cities):
        city = add_unit(f"城市{n:03d}供电公司", province)
        quarter = add_quarter(city, "2019Q1")
        entries = publish_rows(
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
            interview = Interview.objects.create(quarter=quarter, branch=entries[1].branch)
            RectificationItem.objects.create(
                interview=interview, description="a", status=ItemStatus.IN_PROGRESS, deadline=datetime.date(2019, 5, 1)
            )
        county = add_unit(f"城市{n:03d}县公司", city)
        add_quarter(county, "2019Q1", "scoring")
        branch(county, "营销部党支部", "3")
    add_unit("未建季度供电公司", province)
    province.refresh_from_db()
    return province


@pytest.mark.parametrize("cities", SIZES)
def test_the_whole_rollup_takes_six_queries_whatever_the_number_of_units(django_assert_num_queries, cities):
    province = tree(cities)
    with django_assert_num_queries(11):
        # The first roll-up meets boards with no summary yet: 1 the code exists in the subtree; 2 the
        # evaluating units; 3 their quarters of the code; 4 the boards' summaries (none yet); 5 their
        # board rows grouped; 6 their red and blue rows; 7 each one's previous published quarter;
        # 8 the blue rows of those; 9 the summaries stored; 10 rectification counts; 11 the
        # unpublished units' active branches
        rollup_for(province, "2019Q1")
    with django_assert_num_queries(6):
        # 1 the code; 2 the units; 3 their quarters; 4 the summaries; 5 rectification; 6 unpublished units' branches
        rollup = rollup_for(province, "2019Q1")
    assert QuarterSummary.objects.filter(quarter__code="2019Q1").count() == cities
    assert len(rollup.rows) == 2 * cities + 1
    assert rollup.repeat_blue_count == cities // 2


@pytest.mark.parametrize("cities", SIZES)
def test_the_trend_takes_four_queries_whatever_the_number_of_units(django_assert_num_queries, cities):
    province = tree(cities)
    # 1 quarters per code; 2 published quarters without a summary; 3–4 their board rows grouped
    # and their red and blue rows; 5–6 their previous published quarters and those's blue rows;
    # 7 the summaries stored; 8 the summaries per code; 9 rectification per code. (Once, for boards
    # published before summaries were kept; SQLite splits the insert of 30 summaries in two, at
    # its 999 parameters a statement, so the exact count is PostgreSQL's.)
    with django_assert_num_queries(9) if connection.vendor == "postgresql" else nullcontext():
        trend_for(province)
    with django_assert_num_queries(4):
        # 1 quarters per code; 2 published quarters without a summary (none); 3 the summaries per
        # code; 4 rectification per code
        trend = trend_for(province)
    assert [t.code for t in trend] == ["2018Q4", "2019Q1"]
    assert trend[-1].ranked == 3 * cities and trend[0].blue == cities // 2


# The request's own: 1 SAVEPOINT (ATOMIC_REQUESTS); 2 session; 3 user; 4 the user's roles; 5 the
# user's unit … and at the end RELEASE. rollup_page's eight: the code exists in the subtree;
# published quarters without a summary (none: summaries are written at publication); the totals
# (one aggregate over the subtree's summaries); the rectification totals; the units matching the
# filter, counted; the page's units (each with its quarter, whether units evaluate below it, its
# active branches); their summaries; their rectification counts.
REQUEST = 6
PAGE = 8


def dept(province):
    return make_user(roles.DEPT, username="gs", unit=province)


@pytest.mark.parametrize("cities", SIZES)
def test_the_page_takes_the_same_queries_whatever_the_number_of_units(client, django_assert_num_queries, cities):
    province = tree(cities)
    client.force_login(dept(province))
    url = reverse("rollup:page", args=[province.pk, "2019Q1"])
    client.get(url)  # boards published before summaries were kept get theirs (four queries, once)
    # + 1 the subtree's codes; + 4 the trend (quarters per code, quarters without a summary,
    # summaries per code, rectification per code)
    with django_assert_num_queries(REQUEST + PAGE + 1 + 4):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(50, 2 * cities + 1)
    assert response.context["rollup"].repeat_blue_count == cities // 2
    # A filtered page: + 1 the subtree's evaluating units counted apart from the filtered ones.
    with django_assert_num_queries(REQUEST + PAGE + 1 + 1 + 4):
        response = client.get(url, {"state": "attention", "q": "城市"})
    assert [r.name for r in response.context["page"].object_list][:1] == ["城市001供电公司"]
    assert len(response.context["page"].object_list) == cities // 2


@pytest.mark.parametrize("cities", SIZES)
def test_the_big_screen_takes_the_same_queries_whatever_the_number_of_units(client, django_assert_num_queries, cities):
    province = tree(cities)
    client.force_login(dept(province))
    url = reverse("rollup:screen", args=[province.pk, "2019Q1"])
    client.get(url)
    with django_assert_num_queries(REQUEST + PAGE):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(8, 2 * cities + 1)

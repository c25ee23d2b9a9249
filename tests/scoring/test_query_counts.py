"""The inspector's pages cost a fixed number of queries, whatever the number of branches or
indicators: measured with a small and a large world, and pinned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Category
from scoring.models import Indicator, Problem, Score, ScoreChange, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories
from tests.factories import fill_sheet

pytestmark = pytest.mark.django_db

# Group page (for a member), each query named:
GROUP_PAGE_QUERIES = 12
#  1 savepoint (ATOMIC_REQUESTS)         2 the session           3 the user
#  4 the group (+ quarter, leader)       5 the user's roles      6 the user's membership of the group
#  7 the group's sheets with progress    8 indicator counts per quarter and category
#  9 the user's branch (own-branch rule) 10 the group's members  11 the footer's unit (the viewer's
#  evaluating unit, issue 17)             12 release savepoint

# Score sheet, each query named. For a member:
#  1 savepoint                2 the session               3 the user
#  4 the sheet (+ quarter, branch, group)                 5 the user's roles
#  6 the user's membership of the group                   7 the user's branch (own-branch rule)
#  8 the branch's indicators  9 their deduction items     10 the sheet's scores
# 11 its problems            12 the last version saved by others (the local draft's notice)
# 13 release savepoint
# For 党建部 no membership, own branch or others' version, but the sheet's history and the unit it is
# held at (issue 17: a 党建部 reads its own unit's sheets only):
#  1 savepoint  2 session  3 user  4 sheet  5 roles  6 the viewer's evaluating unit  7 indicators
#  8 deduction items  9 scores  10 problems  11 the history  12 release savepoint
SHEET_PAGE_QUERIES = {"alice": 14, "dept": 12}  # alice: + the footer's unit (issue 17)


def add_branches(world, n):
    for k in range(n):
        branch = factories.BranchFactory(name=f"加测党支部{k}", category=Category.I)
        sheet = ScoreSheet.objects.create(quarter=world.quarter, branch=branch, group=world.group_a)
        if k % 2:
            fill_sheet(sheet)


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_group_page_does_not_grow_with_the_number_of_branches(client, world, django_assert_num_queries):
    client.force_login(world.alice)
    url = f"/scoring/groups/{world.group_a.pk}/"
    client.get(url)  # warm the session
    small, _ = count(client, url)
    add_branches(world, 25)
    large, response = count(client, url)
    assert large == small
    assert response.content.decode().count("加测党支部") == 25
    with django_assert_num_queries(GROUP_PAGE_QUERIES):
        client.get(url)


def test_my_groups_and_the_dept_groups_page_do_not_grow_either(client, world, dept_user):
    client.force_login(world.alice)
    small_mine, _ = count(client, "/scoring/my/")
    client.force_login(dept_user)
    small_dept, _ = count(client, f"/scoring/q/{world.quarter.code}/groups/")
    add_branches(world, 25)
    for k in range(5):
        factories.BranchFactory(name=f"未分配党支部{k}")
    client.force_login(world.alice)
    assert count(client, "/scoring/my/")[0] == small_mine
    client.force_login(dept_user)
    large_dept, response = count(client, f"/scoring/q/{world.quarter.code}/groups/")
    assert large_dept == small_dept
    assert "未分配党支部4" in response.content.decode()


def add_indicators(world, n):
    Indicator.objects.bulk_create(
        Indicator(quarter=world.quarter, category=Category.I, code=f"X{k}", name=f"加测指标{k}", max_score=Decimal("5"))
        for k in range(n)
    )
    for indicator in scheme_for_category(world.quarter, Category.I):
        Score.objects.update_or_create(sheet=world.sheet, indicator=indicator, defaults={"value": Decimal("1")})
        Problem.objects.create(sheet=world.sheet, indicator=indicator, description=f"问题{indicator.code}")
        ScoreChange.objects.create(sheet=world.sheet, indicator=indicator, field="score", old="", new="1.0")


@pytest.mark.parametrize("who", ["alice", "dept"])
def test_the_score_sheet_does_not_grow_with_the_number_of_indicators(
    client, world, dept_user, who, django_assert_num_queries
):
    client.force_login(world.alice if who == "alice" else dept_user)
    url = f"/scoring/sheets/{world.sheet.pk}/"
    small, _ = count(client, url)
    add_indicators(world, 30)
    large, response = count(client, url)
    assert large == small
    assert response.content.decode().count("加测指标29") >= 2  # the row and its problem
    with django_assert_num_queries(SHEET_PAGE_QUERIES[who]):
        client.get(url)


def test_saving_a_sheet_does_not_grow_with_the_number_of_indicators(client, world):
    from tests.scoring.helpers import full_values, sheet_post

    client.force_login(world.alice)

    def save_cost():
        world.sheet.refresh_from_db()
        indicators = scheme_for_category(world.quarter, Category.I)
        data = sheet_post(world.sheet, indicators, values=full_values(indicators, str(0.5 + save_cost.n / 10)))
        save_cost.n += 1
        with CaptureQueriesContext(connection) as ctx:
            assert client.post(f"/scoring/sheets/{world.sheet.pk}/save/", data).status_code == 302
        return len(ctx.captured_queries)

    save_cost.n = 0
    save_cost()  # first save creates the rows
    small = save_cost()
    Indicator.objects.bulk_create(
        Indicator(quarter=world.quarter, category=Category.I, code=f"X{k}", name=f"加测指标{k}", max_score=Decimal("5"))
        for k in range(30)
    )
    save_cost()
    assert save_cost() == small

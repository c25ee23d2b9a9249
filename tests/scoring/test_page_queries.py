"""Page query counts that must not depend on N, the number of branches in the quarter.

tests/boards/test_board_queries.py pins the board pages against the number of branches, and
tests/scoring/test_query_counts.py pins the group page against the branches of the group and the
score sheet against the number of indicators. What is pinned here: the score sheet, saving it and
the group page against everything else in the quarter — other groups, their branches, sheets,
scores and problems — which is what grows from 32 to 50,000.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches import roles
from branches.models import Category
from scoring.models import Problem, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories
from tests.factories import fill_sheet
from tests.helpers import make_user
from tests.scoring.helpers import full_values, sheet_post
from tests.scoring.test_query_counts import GROUP_PAGE_QUERIES, SHEET_PAGE_QUERIES

pytestmark = pytest.mark.django_db


def grow_the_quarter(world, groups: int, branches_per_group: int) -> None:
    """More groups, each with members and scored, problem-laden sheets of its own branches."""
    for g in range(groups):
        member = make_user(roles.INSPECTOR, username=f"grow{g}", name=f"扩组成员{g}")
        group = factories.InspectionGroupFactory(quarter=world.quarter, name=f"扩充检查组{g}", leader=member)
        group.members.add(member)
        for k in range(branches_per_group):
            branch = factories.BranchFactory(name=f"扩充党支部{g}-{k}", category=Category.values[k % 3])
            sheet = ScoreSheet.objects.create(quarter=world.quarter, branch=branch, group=group)
            fill_sheet(sheet)
            indicator = scheme_for_category(world.quarter, branch.category)[0]
            Problem.objects.create(sheet=sheet, indicator=indicator, description="扩充问题")


def queries(client, method: str, url: str, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if method == "post" else client.get(url)
    return len(ctx.captured_queries), response.status_code


@pytest.mark.parametrize("who", ["alice", "dept"])
def test_the_score_sheet_costs_the_same_whatever_the_size_of_the_quarter(client, world, dept_user, who):
    client.force_login(world.alice if who == "alice" else dept_user)
    url = f"/scoring/sheets/{world.sheet.pk}/"
    client.get(url)  # warm the session
    small = queries(client, "get", url)
    grow_the_quarter(world, groups=4, branches_per_group=12)
    large = queries(client, "get", url)
    assert small == large
    assert large == (SHEET_PAGE_QUERIES[who], 200)


def test_the_group_page_costs_the_same_whatever_the_other_groups_hold(client, world):
    client.force_login(world.alice)
    url = f"/scoring/groups/{world.group_a.pk}/"
    client.get(url)
    small = queries(client, "get", url)
    grow_the_quarter(world, groups=4, branches_per_group=12)
    large = queries(client, "get", url)
    assert small == large
    assert large == (GROUP_PAGE_QUERIES, 200)


def test_saving_a_sheet_costs_the_same_whatever_the_size_of_the_quarter(client, world):
    client.force_login(world.alice)
    url = f"/scoring/sheets/{world.sheet.pk}/save/"

    def save(fraction: str) -> tuple[int, int]:
        world.sheet.refresh_from_db()
        return queries(
            client,
            "post",
            url,
            sheet_post(world.sheet, world.indicators, values=full_values(world.indicators, fraction)),
        )

    save("0.5")  # the first save creates the score rows
    small = save("0.6")
    grow_the_quarter(world, groups=4, branches_per_group=12)
    large = save("0.7")
    assert small == large and large[1] == 302

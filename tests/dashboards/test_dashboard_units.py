"""The points dashboard is of the viewer's reach (issue 17): 定西's 党建部 asking for a 白银 branch by
id gets 404 (it answered 200 with that branch's totals and stars), and the search box's lookup lists
only the viewer's own unit's branches, though both cities have branches of the same names."""

from __future__ import annotations

import pytest

from boards.models import Board
from branches import roles
from tests.helpers import make_user
from tests.rollup.helpers import BAIYIN, DINGXI, PROVINCE, Line, add_quarter, add_unit, publish_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    province = add_unit(PROVINCE, evaluating=False)
    made = {}
    for name in (BAIYIN, DINGXI):
        city = add_unit(name, province)
        rows = publish_rows(
            add_quarter(city, "2031Q1"),
            [Line("营销部党支部", "1", "95.0", 1, Board.RED), Line("运检部党支部", "1", "80.0", 2, Board.BLUE)],
        )
        made[name] = (city, {row.branch_name: row.branch_id for row in rows})
    return province, made


@pytest.mark.parametrize(("viewer", "other"), [(DINGXI, BAIYIN), (BAIYIN, DINGXI)])
def test_another_citys_branch_is_not_found_on_the_dashboard(client, cities, viewer, other):
    _, made = cities
    client.force_login(make_user(roles.DEPT, username="viewer", unit=made[viewer][0]))
    own, theirs = made[viewer][1]["营销部党支部"], made[other][1]["营销部党支部"]
    assert client.get(f"/boards/dashboard/?branch={own}").status_code == 200
    assert client.get(f"/boards/dashboard/?branch={theirs}").status_code == 404


@pytest.mark.parametrize(("viewer", "other"), [(DINGXI, BAIYIN), (BAIYIN, DINGXI)])
def test_the_lookup_lists_only_branches_in_reach(client, cities, viewer, other):
    _, made = cities
    client.force_login(make_user(roles.LEADER, username="viewer", unit=made[viewer][0]))
    found = client.get("/boards/dashboard/branches/?q=党支部").json()["results"]
    assert sorted(r["id"] for r in found) == sorted(made[viewer][1].values())
    assert not {r["id"] for r in found} & set(made[other][1].values())
    assert {r["unit"] for r in found} == {viewer}

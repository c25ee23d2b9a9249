"""The access matrix with units as a dimension (issue 17): every named URL, asked with 白银's demo
objects, by the roles of another city company (天水) and of the province above both (甘肃).

The demo becomes 国网白银供电公司 under 国网甘肃省电力公司, beside 国网天水供电公司 with quarters of the
same codes. Rules (branches.units, path prefixes): another city's people reach nothing of 白银 —
every URL naming a 白银 object is 403/404 to them, and their own lists show none of it; the
province's 党建部 and leadership read 白银's published record (board, branch pages, interviews)
but never its quarter in progress (preview, sheets, groups, scheme, points) and act on nothing.
"""

# ruff: noqa: F811 — `world` is the access matrix fixture, imported to be requested by name
from __future__ import annotations

import pytest
from django.urls import reverse

from branches import roles, units
from branches.models import Unit
from scoring.models import Quarter
from scoring.services import quarter_create
from tests.factories import BranchFactory
from tests.helpers import make_user
from tests.security.test_access_matrix import (  # noqa: F401 (world is a fixture)
    MATRIX,
    kwargs_for,
    named_urls,
    outcome,
    request_as,
    world,
)

pytestmark = pytest.mark.django_db

OTHER_CITY = ("ts_dept", "ts_leader", "ts_inspector", "ts_secretary")
PROVINCE = ("gs_dept", "gs_leader")
FORBIDDEN = (403, 404)
BAIYIN_BRANCH = "平川区供电公司党总支"


@pytest.fixture
def tree(world):
    baiyin = Unit.objects.get(name="国网白银供电公司")
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    units.unit_update(unit=baiyin, parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    ts_branch = BranchFactory(name="办公室党支部", unit=tianshui)
    for code in (world.published, world.code):
        quarter = quarter_create(code=code, unit=tianshui)
        Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.SCORING)
    users = world.users
    users["ts_dept"] = make_user(roles.DEPT, username="ts_dept", unit=tianshui)
    users["ts_leader"] = make_user(roles.LEADER, username="ts_leader", unit=tianshui)
    users["ts_inspector"] = make_user(roles.INSPECTOR, username="ts_inspector", branch=ts_branch)
    users["ts_secretary"] = make_user(roles.SECRETARY, username="ts_secretary", branch=ts_branch)
    ts_branch.secretary = users["ts_secretary"]
    ts_branch.save()
    users["gs_dept"] = make_user(roles.DEPT, username="gs_dept", unit=province)
    users["gs_leader"] = make_user(roles.LEADER, username="gs_leader", unit=province)
    return type("Tree", (), {"baiyin": baiyin, "province": province, "tianshui": tianshui})


def _urls(world, tree):
    """(name, method, url) of every named URL that names an object, filled with 白银's demo objects."""
    for name, route in sorted(named_urls().items()):
        if "<" in route and name in MATRIX:  # a URL without a matrix entry fails the matrix test itself
            yield name, route, MATRIX[name][0], _url(name, route, world, tree)


def _url(name: str, route: str, world, tree) -> str:
    url = reverse(name, kwargs=kwargs_for(route, name, world))
    if "<str:code>" in route:
        url += f"?unit={tree.baiyin.pk}"  # 白银's quarter of that code, asked for by name
    return url


def _in_progress(name: str, route: str) -> bool:
    """URLs naming something of 白银's quarter in progress (2019Q1, being scored)."""
    return (
        "<str:code>" in route
        or name.startswith("scoring:")
        or name
        in {
            "boards:exclusion_delete",
            "boards:calibration_remove",
        }
    )


def test_another_units_people_reach_nothing_of_baiyin(client, world, tree):
    wrong = []
    for _name, _route, method, url in _urls(world, tree):
        for role in OTHER_CITY:
            got = outcome(request_as(client, role, method, url, world.users))
            if got not in FORBIDDEN:
                wrong.append(f"{role} {method} {url} → {got}")
    assert not wrong, "\n".join(wrong)


def test_the_province_reads_baiyins_record_but_not_its_quarter_in_progress(client, world, tree):
    wrong = []
    for name, route, method, url in _urls(world, tree):
        if name.startswith("rollup:") or name == "reports:rollup_export":
            continue  # the roll-up of the units below is the province's own (tests/rollup)
        for role in PROVINCE:
            got = outcome(request_as(client, role, method, url, world.users))
            if (method == "POST" or _in_progress(name, route)) and got not in FORBIDDEN:
                wrong.append(f"{role} {method} {url} → {got}")
            if got == 500:
                wrong.append(f"{role} {method} {url} → 500")
    assert not wrong, "\n".join(wrong)


def test_a_published_board_is_read_from_above_and_not_across(client, world, tree):
    url = reverse("boards:board", kwargs={"code": world.published}) + f"?unit={tree.baiyin.pk}"
    for role, expected in {"gs_leader": 200, "gs_dept": 200, "ts_leader": 404, "ts_dept": 404, "lingdao": 200}.items():
        assert outcome(request_as(client, role, "GET", url, world.users)) == expected, role
    branch = reverse("boards:branch", kwargs={"pk": world.branch})
    for role, expected in {"gs_leader": 200, "ts_secretary": 404, "shuji": 200}.items():
        assert outcome(request_as(client, role, "GET", branch, world.users)) == expected, role


def test_each_city_opens_its_own_quarter_under_the_same_code(client, world, tree):
    """/boards/<code>/preview/ means the viewer's own unit's quarter: 天水's for 天水's 党建部."""
    url = reverse("boards:preview", kwargs={"code": world.code})
    client.force_login(world.users["ts_dept"])
    page = client.get(url).content.decode()
    assert "办公室党支部" in page and BAIYIN_BRANCH not in page
    client.force_login(world.users["dangjian"])
    page = client.get(url).content.decode()
    assert BAIYIN_BRANCH in page and "办公室党支部" not in page


def test_lists_of_another_unit_show_nothing_of_baiyin(client, world, tree):
    for name in ("home", "boards:quarters", "boards:history", "dashboards:dashboard", "interviews:list"):
        for role in OTHER_CITY:
            client.force_login(world.users[role])
            response = client.get(reverse(name), follow=True)
            assert response.status_code in (200, 403), (name, role)
            assert BAIYIN_BRANCH not in response.content.decode(), (name, role)

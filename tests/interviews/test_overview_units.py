"""The rectification overview (整改总览) is of the units the reader's role reaches (issue 17): a city's
党建部 and leadership see their own city's open rectifications and repeat blues only, never another
city's; the province above sees both cities, each repeat blue named with its unit."""

from __future__ import annotations

import pytest

from boards.models import Board, BoardEntry
from branches import roles, units
from branches.models import Unit
from scoring.models import Quarter
from scoring.services import quarter_create
from tests import factories
from tests.helpers import make_user
from tests.interviews.helpers import make_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    home = Unit.objects.filter(name="国网白银供电公司").first()
    if home is None:
        baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    else:
        baiyin = units.unit_update(unit=home, parent=province, is_evaluating=True) or home
    dingxi = units.unit_create(name="国网定西供电公司", parent=province, is_evaluating=True)
    made = {}
    for city, prefix in ((baiyin, "白银"), (dingxi, "定西")):
        branch = factories.BranchFactory(name="营销部党支部", unit=city)
        quarters = []
        for code in ("2031Q1", "2031Q2"):
            quarter = quarter_create(code=code, unit=city)
            Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.PUBLISHED)
            quarter.refresh_from_db()
            BoardEntry.objects.create(
                quarter=quarter, branch=branch, branch_name=branch.name, category=branch.category, board=Board.BLUE
            )
            quarters.append(quarter)
        made[prefix] = make_interview(branch=branch, quarter=quarters[1], n_items=1)
    return province, baiyin, dingxi, made


@pytest.mark.parametrize("role", [roles.DEPT, roles.LEADER])
def test_a_city_reads_only_its_own_rectifications_and_repeat_blues(client, cities, role):
    _, baiyin, _, made = cities
    client.force_login(make_user(role, username="by_reader", unit=baiyin))
    response = client.get("/interviews/overview/")
    assert response.status_code == 200
    body = response.content.decode()
    assert made["白银"].get_absolute_url() in body
    assert made["定西"].get_absolute_url() not in body
    assert [(r.unit, r.times) for r in response.context["repeat_blue"]] == [("国网白银供电公司", 2)]
    assert response.context["page"].paginator.count == 1 and not response.context["repeat_blue_units"]


def test_the_province_reads_both_cities_each_named(client, cities):
    province, _, _, made = cities
    client.force_login(make_user(roles.LEADER, username="gs_reader", unit=province))
    response = client.get("/interviews/overview/")
    body = response.content.decode()
    assert made["白银"].get_absolute_url() in body and made["定西"].get_absolute_url() in body
    assert sorted((r.unit, r.name, r.times) for r in response.context["repeat_blue"]) == [
        ("国网定西供电公司", "营销部党支部", 2),
        ("国网白银供电公司", "营销部党支部", 2),
    ]
    assert response.context["repeat_blue_units"] and "<th>考评单位</th>" in body
    assert response.context["quarters"] == ["2031Q1", "2031Q2"]


@pytest.mark.parametrize("url", ["/interviews/overview/", "/interviews/"])
def test_the_provinces_lists_name_each_interviews_unit_a_citys_do_not(client, cities, url):
    province, baiyin, _, _ = cities
    client.force_login(make_user(roles.LEADER, username="gs_lister", unit=province))
    response = client.get(url)
    assert response.context["several_units"]
    rows = response.content.decode().split("interviews-table")[1]
    assert "<th>考评单位</th>" in rows and "<td>国网白银供电公司</td>" in rows and "<td>国网定西供电公司</td>" in rows
    client.force_login(make_user(roles.LEADER, username="by_lister", unit=baiyin))
    response = client.get(url)
    assert not response.context["several_units"] and "<th>考评单位</th>" not in response.content.decode()

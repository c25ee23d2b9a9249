"""贡献度积分: 党建部 adds and removes items per branch and quarter; they count in the totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boards.selectors import board_inputs
from branches import roles
from scoring.models import ContributionPoint, Quarter
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def url(world):
    return f"/scoring/q/{world.quarter.code}/contributions/"


def test_the_dept_adds_an_item_and_it_counts_in_the_total(client, world, dept_user):
    client.force_login(dept_user)
    response = client.post(url(world), {"branch": world.target.pk, "points": "1.5", "reason": "党建品牌故事刊发"})
    assert response.status_code == 302
    client.post(url(world), {"branch": world.target.pk, "points": "0.25", "reason": "先进典型获评"})
    item = ContributionPoint.objects.get(reason="党建品牌故事刊发")
    assert (item.quarter, item.branch, item.points, item.created_by) == (
        world.quarter,
        world.target,
        Decimal("1.5"),
        dept_user,
    )
    contribution = {i.branch_id: i.contribution for i in board_inputs(world.quarter)}
    assert contribution[world.target.pk] == Decimal("1.75")
    html = client.get(url(world)).content.decode()
    assert "党建品牌故事刊发" in html and "丙党支部" in html
    totals = html[html.index('id="contribution-totals"') :]
    assert '<td>丙党支部</td><td class="num">1.75</td>' in totals


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("0", "积分应大于 0。"),
        ("-1", "积分应大于 0。"),
        ("1.255", "积分最多保留两位小数。"),
        ("abc", "请输入数字，例如 1 或 0.5。"),
        ("100", "积分不能超过 99.99。"),
        ("", "这个字段是必填项。"),
    ],
)
def test_bad_points_are_refused_in_chinese_next_to_the_field(client, world, dept_user, points, message):
    client.force_login(dept_user)
    response = client.post(url(world), {"branch": world.target.pk, "points": points, "reason": "事由"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert html.index(message) > html.index('name="points"')
    assert not ContributionPoint.objects.exists()


def test_a_reason_is_required(client, world, dept_user):
    client.force_login(dept_user)
    response = client.post(url(world), {"branch": world.target.pk, "points": "1", "reason": "  "})
    assert response.status_code == 400
    assert not ContributionPoint.objects.exists()


def test_the_dept_removes_an_item(client, world, dept_user):
    item = ContributionPoint.objects.create(quarter=world.quarter, branch=world.target, points=Decimal("1"), reason="x")
    client.force_login(dept_user)
    assert client.post(f"/scoring/contributions/{item.pk}/delete/").status_code == 302
    assert not ContributionPoint.objects.exists()


def test_a_published_quarter_keeps_its_points(client, world, dept_user):
    item = ContributionPoint.objects.create(quarter=world.quarter, branch=world.target, points=Decimal("1"), reason="x")
    Quarter.objects.filter(pk=world.quarter.pk).update(status=Quarter.Status.PUBLISHED)
    client.force_login(dept_user)
    client.post(url(world), {"branch": world.target.pk, "points": "1", "reason": "y"})
    client.post(f"/scoring/contributions/{item.pk}/delete/")
    assert list(ContributionPoint.objects.values_list("reason", flat=True)) == ["x"]


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY, roles.ADMIN])
def test_only_the_dept_touches_contribution_points(client, world, role):
    item = ContributionPoint.objects.create(quarter=world.quarter, branch=world.target, points=Decimal("1"), reason="x")
    client.force_login(make_user(role, username="someone"))
    assert client.get(url(world)).status_code == 403
    assert client.post(url(world), {"branch": world.target.pk, "points": "5", "reason": "y"}).status_code == 403
    assert client.post(f"/scoring/contributions/{item.pk}/delete/").status_code == 403
    assert ContributionPoint.objects.count() == 1


def test_the_page_lists_items_in_constant_queries(client, world, dept_user, django_assert_num_queries):
    from tests import factories

    for k in range(20):
        branch = factories.BranchFactory(name=f"积分党支部{k}")
        ContributionPoint.objects.create(quarter=world.quarter, branch=branch, points=Decimal("1"), reason=f"事由{k}")
    client.force_login(dept_user)
    client.get(url(world))  # warm the session
    # savepoint; session; user; roles; the viewer's evaluating unit (issue 17); the quarter; its
    # contribution points (+ branch, person); the quarters for the switcher; the branches for the
    # form's choice; release savepoint
    with django_assert_num_queries(10):
        response = client.get(url(world))
    assert response.content.decode().count("事由") >= 20

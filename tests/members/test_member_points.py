"""党员积分: the ledger is kept by the branch's own secretary only; 党建部 and leadership read it;
anyone else finds no such page. The ranking per quarter, and its publication (once, frozen)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from branches import roles
from members.models import MemberPoint, MemberRanking, PartyMember
from members.selectors import member_ranking
from members.services import member_point_record, member_ranking_publish
from tests import factories
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2019, 2, 15)


@pytest.fixture
def members(secretary_user):
    branch = secretary_user.branch
    return [PartyMember.objects.create(branch=branch, name=n) for n in ("甲", "乙", "丙")]


@pytest.fixture
def other_secretary(db):
    """The secretary of another branch (also a 支部书记)."""
    user = make_user(roles.SECRETARY, username="other-secretary")
    user.branch = factories.BranchFactory(secretary=user)
    user.save()
    return user


def url(branch, action=""):
    return f"/branches/{branch.pk}/points/{action}"


def point(member, points="2", day=DAY, reason="组织主题党日"):
    return {"member": member.pk, "date": day.isoformat(), "points": points, "reason": reason}


# --- permissions ---------------------------------------------------------------------------------------


def test_the_secretary_keeps_the_ledger_of_their_own_branch(client, secretary_user, members):
    client.force_login(secretary_user)
    response = client.get(url(secretary_user.branch))
    assert response.status_code == 200 and "member-point-form" in response.content.decode()
    response = client.post(url(secretary_user.branch, "add/"), point(members[0]))
    assert response.status_code == 302 and response["Location"].endswith("?quarter=2019Q1")
    line = MemberPoint.objects.get()
    assert (line.member, line.points, line.recorded_by) == (members[0], Decimal("2"), secretary_user)


def test_another_branchs_secretary_finds_no_such_page(client, secretary_user, other_secretary, members):
    client.force_login(other_secretary)
    branch = secretary_user.branch
    assert client.get(url(branch)).status_code == 404
    assert client.post(url(branch, "add/"), point(members[0])).status_code == 404
    assert client.post(url(branch, "members/add/"), {"name": "丁"}).status_code == 404
    assert client.post(url(branch, "publish/"), {"quarter": "2019Q1"}).status_code == 404
    assert not MemberPoint.objects.exists() and PartyMember.objects.count() == 3


def test_a_secretary_cannot_record_for_a_member_of_another_branch(client, secretary_user, other_secretary, members):
    stranger = PartyMember.objects.create(branch=other_secretary.branch, name="外支部党员")
    client.force_login(secretary_user)
    response = client.post(url(secretary_user.branch, "add/"), point(stranger))
    assert response.status_code == 400 and "请选择本支部在册党员" in response.content.decode()
    with pytest.raises(PermissionDenied):
        member_point_record(member=stranger, date=DAY, points=Decimal("1"), reason="越权记录", user=secretary_user)
    assert not MemberPoint.objects.exists()


@pytest.mark.parametrize("role", ["dept_user", "leader_user"])
def test_dept_and_leadership_read_but_do_not_record(client, request, secretary_user, members, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(secretary_user.branch))
    assert response.status_code == 200 and "member-point-form" not in response.content.decode()
    assert client.post(url(secretary_user.branch, "add/"), point(members[0])).status_code == 403
    assert client.post(url(secretary_user.branch, "members/add/"), {"name": "丁"}).status_code == 403
    assert not MemberPoint.objects.exists() and PartyMember.objects.count() == 3


@pytest.mark.parametrize("role", ["inspector_user", "admin_user"])
def test_others_find_no_such_page(client, request, secretary_user, members, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(secretary_user.branch)).status_code == 404
    assert client.post(url(secretary_user.branch, "add/"), point(members[0])).status_code == 404


def test_a_branch_member_who_is_not_its_secretary_finds_no_such_page(client, secretary_user, members):
    colleague = make_user(roles.SECRETARY, username="colleague", branch=secretary_user.branch)
    client.force_login(colleague)
    assert client.get(url(secretary_user.branch)).status_code == 404


def test_writes_are_posts(client, secretary_user):
    client.force_login(secretary_user)
    for action in ("add/", "members/add/", "publish/"):
        assert client.get(url(secretary_user.branch, action)).status_code == 405


# --- validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"points": "0"}, "积分不能为 0"),
        ({"points": "101"}, "绝对值不能超过 100 分"),
        ({"points": "1.25"}, "最多保留一位小数"),
        ({"points": "abc"}, "请输入数字"),
        ({"reason": ""}, "请写明加扣分事由"),
        ({"date": "2999-01-01"}, "日期不能晚于今天"),
        ({"date": "15/02/2019"}, "日期格式应为"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(client, secretary_user, members, changes, message):
    client.force_login(secretary_user)
    response = client.post(url(secretary_user.branch, "add/"), {**point(members[0]), **changes})
    assert response.status_code == 400 and message in response.content.decode()
    assert not MemberPoint.objects.exists()


def test_a_member_name_is_registered_once(client, secretary_user, members):
    client.force_login(secretary_user)
    response = client.post(url(secretary_user.branch, "members/add/"), {"name": "甲"})
    assert response.status_code == 400 and "本支部已有党员“甲”" in response.content.decode()
    assert (
        client.post(url(secretary_user.branch, "members/add/"), {"name": "丁", "duty": "组织委员"}).status_code == 302
    )
    assert PartyMember.objects.filter(branch=secretary_user.branch).count() == 4


# --- ranking and publication ------------------------------------------------------------------------------


def record(members, user, rows):
    for member, points, day in rows:
        member_point_record(member=member, date=day, points=Decimal(points), reason="事由", user=user)


def test_the_ranking_sums_the_quarters_points_and_shares_ranks(secretary_user, members):
    a, b, c = members
    record(
        members,
        secretary_user,
        [(a, "3", DAY), (b, "2", DAY), (b, "1", DAY), (c, "-1", DAY), (c, "9", datetime.date(2019, 4, 1))],
    )
    rows = member_ranking(secretary_user.branch, 2019, 1)
    assert [(r.rank, r.name, r.points, r.entries) for r in rows] == [
        (1, "乙", Decimal("3"), 2),
        (1, "甲", Decimal("3"), 1),
        (3, "丙", Decimal("-1"), 1),
    ]


def test_publishing_freezes_the_ranking_and_closes_the_quarter(client, secretary_user, members):
    a, b, _ = members
    record(members, secretary_user, [(a, "3", DAY), (b, "1", DAY)])
    client.force_login(secretary_user)
    response = client.post(url(secretary_user.branch, "publish/"), {"quarter": "2019Q1"}, follow=True)
    assert "2019Q1 党员积分排名已发布" in response.content.decode()
    ranking = MemberRanking.objects.get()
    assert ranking.rows[0] == {"rank": 1, "name": "甲", "points": "3.0"}
    # Twice changes nothing twice.
    again = client.post(url(secretary_user.branch, "publish/"), {"quarter": "2019Q1"}, follow=True)
    assert "不能重复发布" in again.content.decode() and MemberRanking.objects.count() == 1
    # The quarter's ledger is closed.
    response = client.post(url(secretary_user.branch, "add/"), point(a, day=datetime.date(2019, 3, 1)))
    assert response.status_code == 400 and "2019Q1 的党员积分排名已经发布" in response.content.decode()
    assert MemberPoint.objects.count() == 2


def test_an_unfinished_or_empty_quarter_cannot_be_published(secretary_user, members):
    with pytest.raises(ValidationError, match="没有任何党员积分记录"):
        member_ranking_publish(branch=secretary_user.branch, year=2019, number=1, user=secretary_user)
    with pytest.raises(ValidationError, match="还没有结束"):
        member_ranking_publish(branch=secretary_user.branch, year=2999, number=1, user=secretary_user)
    assert not MemberRanking.objects.exists()


def test_the_dept_may_publish_and_leadership_may_not(client, secretary_user, members, dept_user, leader_user):
    record(members, secretary_user, [(members[0], "2", DAY)])
    client.force_login(leader_user)
    assert client.post(url(secretary_user.branch, "publish/"), {"quarter": "2019Q1"}).status_code == 403
    assert not MemberRanking.objects.exists()
    client.force_login(dept_user)
    assert client.post(url(secretary_user.branch, "publish/"), {"quarter": "2019Q1"}).status_code == 302
    assert MemberRanking.objects.get().published_by == dept_user


def test_the_published_ranking_is_on_the_dashboard(client, secretary_user, members, leader_user):
    record(members, secretary_user, [(members[1], "5", DAY)])
    member_ranking_publish(branch=secretary_user.branch, year=2019, number=1, user=secretary_user)
    client.force_login(leader_user)
    content = client.get(f"/boards/dashboard/?branch={secretary_user.branch.pk}").content.decode()
    assert 'id="dashboard-member-ranking"' in content and "<td>乙</td>" in content


def test_the_ledger_page_costs_a_fixed_number_of_queries(
    client, secretary_user, members, django_assert_max_num_queries
):
    record(members, secretary_user, [(m, "1", DAY) for m in members for _ in range(20)])
    client.force_login(secretary_user)
    # session, user, roles, branch, ledger quarters, published rankings, ranking, ledger count + page,
    # the form's member choices, savepoints.
    with django_assert_max_num_queries(14):
        response = client.get(url(secretary_user.branch))
    assert response.status_code == 200

"""The pages: scheduling, minutes, answering, progress, accepting/returning, lists and overview."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from boards.models import Board, BoardEntry
from branches.models import Notice
from interviews.models import Interview, ItemStatus
from tests import factories
from tests.interviews.helpers import DEMO_BLUE, answered, make_interview, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(secretary_user):
    return make_interview(branch=secretary_user.branch, n_items=2)


def test_the_department_schedules_the_interview_and_the_secretary_is_told(
    client, dept_user, leader_user, secretary_user, interview
):
    client.force_login(dept_user)
    response = client.post(
        f"/interviews/{interview.pk}/schedule/",
        {
            "scheduled_at": "2030-04-02T09:30",
            "place": "公司党委会议室",
            "interviewer": leader_user.pk,
            "interviewee": secretary_user.pk,
        },
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert timezone.localtime(interview.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2030-04-02 09:30"
    assert (interview.place, interview.interviewer, interview.interviewee) == (
        "公司党委会议室",
        leader_user,
        secretary_user,
    )
    assert Notice.objects.filter(user=secretary_user, message__contains="公司党委会议室").exists()


def test_scheduling_without_a_place_is_refused_and_changes_nothing(client, dept_user, interview):
    client.force_login(dept_user)
    response = client.post(f"/interviews/{interview.pk}/schedule/", {"scheduled_at": "2030-04-02T09:30", "place": ""})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    interview.refresh_from_db()
    assert interview.scheduled_at is None


def test_minutes_need_a_scheduled_interview(client, dept_user, interview):
    client.force_login(dept_user)
    response = client.post(f"/interviews/{interview.pk}/minutes/", {"minutes": "谈话要点"})
    assert response.status_code == 400
    assert "请先安排约谈时间" in response.content.decode()
    interview.scheduled_at = timezone.now()
    interview.save()
    assert client.post(f"/interviews/{interview.pk}/minutes/", {"minutes": "谈话要点"}).status_code == 302
    interview.refresh_from_db()
    assert interview.minutes == "谈话要点" and interview.is_held


def test_the_secretary_answers_an_item(client, secretary_user, interview):
    item = interview.items.first()
    client.force_login(secretary_user)
    response = client.post(
        f"/interviews/items/{item.pk}/answer/",
        {"measure": "重新履行补选程序", "deadline": "2030-06-30", "responsible": "赵永平"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.measure, item.deadline, item.responsible, item.status) == (
        "重新履行补选程序",
        datetime.date(2030, 6, 30),
        "赵永平",
        ItemStatus.IN_PROGRESS,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"measure": "", "deadline": "2030-06-30", "responsible": "赵"}, "这个字段是必填项"),
        ({"measure": "m", "deadline": "2020-01-01", "responsible": "赵"}, "完成时限不能早于今天"),
        ({"measure": "m", "deadline": "明天", "responsible": "赵"}, "输入一个有效的日期"),
        ({"measure": "m", "deadline": "2030-06-30", "responsible": ""}, "这个字段是必填项"),
    ],
)
def test_a_bad_answer_says_why_and_changes_nothing(client, secretary_user, interview, data, message):
    item = interview.items.first()
    client.force_login(secretary_user)
    response = client.post(f"/interviews/items/{item.pk}/answer/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    item.refresh_from_db()
    assert (item.measure, item.deadline, item.status) == ("", None, ItemStatus.PENDING)


def test_a_past_deadline_already_set_may_stay(client, secretary_user):
    item = make_interview(
        branch=secretary_user.branch, n_items=1, **answered(deadline=datetime.date(2020, 1, 1))
    ).items.get()
    client.force_login(secretary_user)
    response = client.post(
        f"/interviews/items/{item.pk}/answer/", {"measure": "新措施", "deadline": "2020-01-01", "responsible": "李明"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.measure == "新措施"


def test_progress_completion_accept_and_return_through_the_pages(client, secretary_user, dept_user):
    interview = make_interview(branch=secretary_user.branch, n_items=2, **answered())
    first, second = interview.items.all()
    client.force_login(secretary_user)
    for item in (first, second):
        done = {"progress": "已完成", "completed": "on", "no_evidence_reason": "现场整改，无书面材料"}
        assert client.post(f"/interviews/items/{item.pk}/progress/", done).status_code == 302
    client.force_login(dept_user)
    assert client.post(f"/interviews/items/{first.pk}/accept/", {"confirmed": "1"}).status_code == 302
    response = client.post(f"/interviews/items/{second.pk}/return/", {"reason": "缺少会议记录", "confirmed": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ItemStatus.ACCEPTED, ItemStatus.RETURNED)
    assert Notice.objects.filter(user=secretary_user, message__contains="缺少会议记录").exists()
    # A double click on 验收 changes nothing the second time and says why.
    response = client.post(f"/interviews/items/{first.pk}/accept/", {"confirmed": "1"}, follow=True)
    assert "该事项状态为“已验收”，不能验收。" in response.content.decode()
    client.force_login(secretary_user)
    client.post(
        f"/interviews/items/{second.pk}/progress/",
        {"progress": "补充了记录", "completed": "on", "no_evidence_reason": "同上"},
    )
    client.force_login(dept_user)
    response = client.post(f"/interviews/items/{second.pk}/accept/", {"confirmed": "1"}, follow=True)
    assert "整改销号" in response.content.decode()
    interview.refresh_from_db()
    assert interview.is_closed


def test_returning_without_a_reason_is_refused(client, dept_user):
    item = make_interview(n_items=1, **answered(status=ItemStatus.COMPLETED)).items.get()
    client.force_login(dept_user)
    response = client.post(f"/interviews/items/{item.pk}/return/", {"reason": ""})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_the_department_adds_an_item(client, dept_user, interview):
    client.force_login(dept_user)
    assert (
        client.post(f"/interviews/{interview.pk}/items/add/", {"description": "约谈中新发现的问题"}).status_code == 302
    )
    assert interview.items.filter(description="约谈中新发现的问题", status=ItemStatus.PENDING).exists()


def test_overdue_items_are_red_on_every_list(client, secretary_user, dept_user):
    past = timezone.localdate() - datetime.timedelta(days=2)
    interview = make_interview(branch=secretary_user.branch, n_items=1, **answered(deadline=past))
    item = interview.items.get()
    client.force_login(dept_user)
    for url in ("/interviews/", "/interviews/overview/"):
        body = client.get(url).content.decode()
        assert 'class="table-danger"' in body and '<span class="overdue">1</span>' in body, url
    body = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "interviews-row-overdue" in body and "已逾期" in body
    body = client.get(f"/interviews/items/{item.pk}/").content.decode()
    assert "已超过完成时限" in body
    client.force_login(secretary_user)
    assert "已逾期：1 项" in client.get("/").content.decode()


def test_the_overview_lists_branches_on_the_blue_board_more_than_once_in_four_quarters(client, dept_user):
    from scoring.models import Quarter

    twice, once, long_ago = (
        factories.BranchFactory(name="两次蓝榜支部"),
        factories.BranchFactory(name="一次蓝榜支部"),
        factories.BranchFactory(name="五个季度前支部"),
    )
    quarters = [factories.QuarterFactory(code=f"2031Q{n}", status=Quarter.Status.PUBLISHED) for n in (1, 2, 3, 4)]
    old = factories.QuarterFactory(code="2030Q4", status=Quarter.Status.PUBLISHED)
    for quarter, branch in [
        (quarters[0], twice),
        (quarters[3], twice),
        (quarters[1], once),
        (old, long_ago),
        (quarters[2], long_ago),
    ]:
        BoardEntry.objects.create(
            quarter=quarter, branch=branch, branch_name=branch.name, category=branch.category, board=Board.BLUE, rank=5
        )
    client.force_login(dept_user)
    body = client.get("/interviews/overview/").content.decode()
    assert "两次蓝榜支部" in body and "2031Q1、2031Q4" in body
    assert "一次蓝榜支部" not in body
    assert "五个季度前支部" not in body


def test_the_secretary_shortcut_goes_to_their_checklist(client, secretary_user, interview):
    client.force_login(secretary_user)
    response = client.get("/interviews/mine/")
    assert response.status_code == 302 and response["Location"] == f"/interviews/{interview.pk}/"


def test_home_cards(client, secretary_user, dept_user, leader_user, interview):
    client.force_login(secretary_user)
    body = client.get("/").content.decode()
    assert "我的整改" in body and "共 2 项，已验收 0 项" in body and "待填报整改措施：2 项" in body
    for user in (dept_user, leader_user):
        client.force_login(user)
        body = client.get("/").content.decode()
        assert "约谈与整改" in body and "整改中的蓝榜党组织：1 个" in body


def test_the_demo_after_publication(client, demo):
    publish(demo.quarter, demo.users["dangjian"])
    client.force_login(demo.users["shuji"])
    response = client.get("/interviews/mine/", follow=True)
    body = response.content.decode()
    assert "平川区供电公司党总支" in body and "下设支部补选委员流程不规范" in body
    client.force_login(demo.users["dangjian"])
    body = client.get("/interviews/overview/").content.decode()
    assert all(name in body for name in DEMO_BLUE)
    assert Interview.objects.filter(quarter=demo.quarter).count() == 3


def test_the_interviewer_sees_the_interviews_still_to_hold(client, leader_user, interview):
    interview.interviewer = leader_user
    interview.save()
    client.force_login(leader_user)
    assert (
        f"待约谈：{interview.quarter.code} {interview.branch.name}，时间待定（由您约谈）"
        in client.get("/").content.decode()
    )
    interview.held_at = timezone.now()
    interview.save()
    assert "待约谈" not in client.get("/").content.decode()


def test_the_interviewer_and_interviewee_come_from_the_committee_and_the_branch(
    client, dept_user, leader_user, secretary_user, inspector_user, interview
):
    client.force_login(dept_user)
    body = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert f'<option value="{leader_user.pk}"' in body
    response = client.post(
        f"/interviews/{interview.pk}/schedule/",
        {
            "scheduled_at": "2030-04-02T09:30",
            "place": "会议室",
            "interviewer": inspector_user.pk,
            "interviewee": secretary_user.pk,
        },
    )
    assert response.status_code == 400
    response = client.post(
        f"/interviews/{interview.pk}/schedule/",
        {
            "scheduled_at": "2030-04-02T09:30",
            "place": "会议室",
            "interviewer": leader_user.pk,
            "interviewee": inspector_user.pk,
        },
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    interview.refresh_from_db()
    assert interview.scheduled_at is None

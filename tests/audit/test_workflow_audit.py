"""Everything that moves a total, a rank or the workflow leaves an audit row (who, when, old → new):
contribution points (tests/scoring/test_contribution_cap.py), groups and memberships, assignments,
quarter transitions, exclusions (tests/boards/test_what_counts.py), interview scheduling and
decisions, branch import. And a branch's category cannot change while a quarter including it is
being scored — in the admin or by import — with a clear error and nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from branches import roles
from branches.models import Branch, Category
from interviews.models import ItemStatus
from interviews.services import interview_record_minutes, interview_schedule, look_back_record, look_back_schedule
from reports.imports import ImportRejected, branches_import
from scoring.models import InspectionGroup, Quarter, ScoreSheet
from scoring.services import assignment_auto, assignment_move
from tests import factories
from tests.helpers import make_user
from tests.interviews.helpers import make_interview
from tests.reports.helpers import workbook_bytes
from tests.reports.test_branch_import import branch_list, snapshot

pytestmark = pytest.mark.django_db


def one(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_opening_and_closing_a_quarter_is_audited_with_the_old_and_new_status(client, dept_user):
    quarter = factories.QuarterFactory(code="2041Q1")
    client.force_login(dept_user)
    client.post(reverse("scoring:quarter_transition", args=[quarter.code]), {"to": "scoring"})
    client.post(reverse("scoring:quarter_transition", args=[quarter.code]), {"to": "closed"})
    events = list(AuditEvent.objects.filter(action="quarter_transition").order_by("pk"))
    assert [(e.actor, e.target_id, e.detail["状态"]) for e in events] == [
        (dept_user, str(quarter.pk), "准备 → 评分中"),
        (dept_user, str(quarter.pk), "评分中 → 已截止"),
    ]


def test_creating_editing_and_deleting_a_group_is_audited_with_its_members(client, world, dept_user):
    client.force_login(dept_user)
    carol = make_user(roles.INSPECTOR, username="carol", name="张敏")
    response = client.post(
        reverse("scoring:group_create", args=[world.quarter.code]),
        {"name": "第三检查组", "leader": carol.pk, "members": [carol.pk]},
    )
    assert response.status_code == 302
    created = one("group_save")
    assert (created.actor, created.detail["组名"], created.detail["成员"]) == (dept_user, "— → 第三检查组", "— → 张敏")

    group = InspectionGroup.objects.get(name="第三检查组")
    dave = make_user(roles.INSPECTOR, username="dave", name="李强")
    client.post(
        reverse("scoring:group_edit", args=[group.pk]),
        {"name": "第三检查组", "leader": carol.pk, "members": [carol.pk, dave.pk]},
    )
    edited = AuditEvent.objects.filter(action="group_save").latest("pk")
    assert edited.detail == {"成员": "张敏 → 张敏、李强"}  # only what changed

    client.post(reverse("scoring:group_delete", args=[group.pk]))
    deleted = one("group_delete")
    assert (deleted.actor, deleted.detail["组名"]) == (dept_user, "第三检查组 → —")


def test_assignments_by_hand_and_automatic_are_audited(world, dept_user):
    assignment_move(quarter=world.quarter, branch=world.target, group=world.group_b, actor=dept_user)
    moved = one("assignment_change")
    assert (moved.actor, moved.detail["党组织"], moved.detail["检查组"]) == (
        dept_user,
        "丙党支部",
        "第一检查组 → 第二检查组",
    )

    factories.BranchFactory(name="戊党支部", category=Category.II)
    assignment_auto(quarter=world.quarter, actor=dept_user)
    auto = AuditEvent.objects.filter(action="assignment_change").latest("pk")
    assert auto.detail["方式"] == "自动分配"
    assert ScoreSheet.objects.filter(branch__name="戊党支部").exists()


def test_interview_scheduling_minutes_and_look_back_are_audited(dept_user, leader_user):
    interview = make_interview(n_items=2)
    when = timezone.make_aware(datetime.datetime(2041, 4, 10, 9, 30))
    interview_schedule(
        interview=interview,
        user=dept_user,
        scheduled_at=when,
        place="公司党委会议室",
        interviewer=leader_user,
        interviewee=None,
    )
    scheduled = one("interview_schedule")
    assert scheduled.actor == dept_user
    assert scheduled.detail["时间"] == "— → 2041-04-10 09:30"
    assert scheduled.detail["地点"] == "— → 公司党委会议室"

    interview_record_minutes(interview=interview, user=dept_user, minutes="逐项反馈问题清单")
    assert one("interview_decision").detail == {"约谈情况": "— → 逐项反馈问题清单"}

    first, second = interview.items.order_by("position")
    interview.items.update(status=ItemStatus.ACCEPTED)
    look_back = look_back_schedule(interview=interview, user=dept_user, scheduled_on=datetime.date(2041, 7, 1))
    look_back_record(look_back=look_back, user=dept_user, results={first.pk: (True, ""), second.pk: (False, "反弹")})
    decision = AuditEvent.objects.filter(action="interview_decision").latest("pk")
    assert decision.detail["回头看"] == "1 项保持，1 项未保持"
    assert "问题2（已验收 → 整改中）" in decision.detail["重新打开"]


def test_a_branch_import_is_audited_with_each_category_change(dept_user):
    factories.BranchFactory(name="甲党支部", category=Category.I)
    branches_import(
        source=workbook_bytes(
            branch_list(("甲党支部", "Ⅱ", "党支部", "", "甲单位"), ("新党支部", "Ⅰ", "党支部", "", "甲单位"))
        ),
        user=dept_user,
    )
    event = one("branch_import")
    assert event.actor == dept_user
    assert (event.detail["新建"], event.detail["更新"], event.detail["新建党组织"]) == ("1", "1", "新党支部")
    assert event.detail["类别：甲党支部"] == "Ⅰ类 → Ⅱ类"


# --- the category is locked while the branch is being scored ---------------------------------------


def test_the_import_cannot_recategorise_a_branch_being_scored(world, dept_user):
    assert world.quarter.status == Quarter.Status.SCORING
    before = snapshot()
    with pytest.raises(ImportRejected) as info:
        branches_import(source=workbook_bytes(branch_list(("丙党支部", "Ⅱ", "党支部", "", "新单位"))), user=dept_user)
    assert info.value.issues[0].message == (
        "“丙党支部”正在参加 2019Q1 季度考评（评分中），评分期间不能修改类别（Ⅰ类 → Ⅱ类）。请在该季度发布后再修改。"
    )
    assert snapshot() == before  # nothing changed, not even the new unit
    assert not AuditEvent.objects.filter(action="branch_import").exists()


def test_the_admin_cannot_recategorise_a_branch_being_scored(client, world, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:branches_branch_change", args=[world.target.pk])
    data = {
        "name": "丙党支部",
        "category": Category.II,
        "kind": world.target.kind,
        "unit": world.target.unit_id,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "评分期间不能修改类别（Ⅰ类 → Ⅱ类）" in response.content.decode()
    assert Branch.objects.get(pk=world.target.pk).category == Category.I

    # Once the quarter is published the category may change.
    Quarter.objects.filter(pk=world.quarter.pk).update(status=Quarter.Status.PUBLISHED)
    assert client.post(url, data).status_code == 302
    assert Branch.objects.get(pk=world.target.pk).category == Category.II


def test_the_category_of_a_branch_outside_any_scored_quarter_may_change(dept_user):
    factories.QuarterFactory(code="2041Q2")  # being prepared: nothing scored yet
    factories.BranchFactory(name="己党支部", category=Category.III)
    branches_import(source=workbook_bytes(branch_list(("己党支部", "Ⅰ", "党支部", "", "甲单位"))), user=dept_user)
    assert Branch.objects.get(name="己党支部").category == Category.I

"""Publishing a quarter creates one checklist interview per blue-board branch, items from its problems."""

from __future__ import annotations

import pytest

from interviews.models import Interview, ItemStatus, RectificationItem
from interviews.services import interviews_create_for_quarter
from scoring.models import Problem
from tests.interviews.helpers import DEMO_BLUE, publish

pytestmark = pytest.mark.django_db


def test_it_creates_one_interview_per_blue_branch(demo):
    interviews = publish(demo.quarter, demo.users["dangjian"])
    assert sorted(i.branch.name for i in interviews) == sorted(DEMO_BLUE)


def test_each_interview_holds_its_branchs_problems(demo):
    publish(demo.quarter, demo.users["dangjian"])
    for interview in Interview.objects.filter(quarter=demo.quarter):
        problems = Problem.objects.filter(sheet__quarter=demo.quarter, sheet__branch=interview.branch)
        items = list(interview.items.all())
        assert problems.count() > 0
        assert sorted(i.problem_id for i in items) == sorted(p.pk for p in problems)
        assert {i.description for i in items} == {p.description for p in problems}
        assert {i.status for i in items} == {ItemStatus.PENDING}


def test_the_pingchuan_interview_carries_the_reports_problems(demo):
    publish(demo.quarter, demo.users["dangjian"])
    interview = Interview.objects.get(quarter=demo.quarter, branch__name="平川区供电公司党总支")
    descriptions = [i.description for i in interview.items.all()]
    assert "下设支部补选委员流程不规范" in descriptions
    assert "“三会一课”落实不到位" in descriptions


def test_the_interviewer_defaults_to_the_committee_secretary_and_the_interviewee_to_the_branch_secretary(demo):
    publish(demo.quarter, demo.users["dangjian"])
    interview = Interview.objects.get(quarter=demo.quarter, branch__name="平川区供电公司党总支")
    assert interview.interviewer == demo.users["lingdao"]
    assert interview.interviewee == demo.users["shuji"]


def test_creating_twice_creates_nothing_twice(demo):
    publish(demo.quarter, demo.users["dangjian"])
    counts = (Interview.objects.count(), RectificationItem.objects.count())
    assert interviews_create_for_quarter(quarter=demo.quarter) == []
    assert (Interview.objects.count(), RectificationItem.objects.count()) == counts


def test_red_and_unplaced_branches_get_no_interview(demo):
    publish(demo.quarter, demo.users["dangjian"])
    assert not Interview.objects.filter(branch__name="财务部党支部").exists()
    assert not Interview.objects.filter(branch__name="城区分公司党支部").exists()


def test_the_branch_secretary_is_told_the_checklist_is_ready(demo):
    from branches.models import Notice

    publish(demo.quarter, demo.users["dangjian"])
    interview = Interview.objects.get(quarter=demo.quarter, branch__name="平川区供电公司党总支")
    notice = Notice.objects.get(user=demo.users["shuji"], url=interview.get_absolute_url())
    assert "整改清单已建立（4 项问题）" in notice.message

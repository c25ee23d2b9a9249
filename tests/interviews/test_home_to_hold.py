"""Leadership's home lists the interviews still to hold: scheduled first (with quarter and time),
then those without a time, all of them or a link to all."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from interviews.models import Interview
from interviews.selectors import HOME_TO_HOLD
from scoring.models import Quarter
from tests import factories
from tests.interviews.helpers import make_interview

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2030, 4, day, hour, 30))


def card_lines(body: str) -> list[str]:
    return [line.split("</p>")[0] for line in body.split('<p class="card-text mb-1">')[1:] if "待约谈：" in line]


@pytest.fixture
def marketing_twice():
    """营销部党支部 on the blue board in two quarters: two interviews, only the later one scheduled."""
    q1 = factories.QuarterFactory(code="2019Q1", year=2019, number=1, status=Quarter.Status.PUBLISHED)
    q2 = factories.QuarterFactory(code="2019Q2", year=2019, number=2, status=Quarter.Status.PUBLISHED)
    branch = factories.BranchFactory(name="营销部党支部")
    undated = make_interview(branch=branch, quarter=q1, n_items=1)
    scheduled = make_interview(branch=branch, quarter=q2, n_items=1)
    scheduled.scheduled_at = at(2)
    scheduled.place = "公司党委会议室"
    scheduled.save()
    return undated, scheduled


def test_the_scheduled_interview_comes_first_with_its_quarter_and_time(client, leader_user, marketing_twice):
    undated, _scheduled = marketing_twice
    # four more without a time: with the old order and the cut at five the scheduled one was hidden
    for n in range(4):
        make_interview(branch=factories.BranchFactory(name=f"支部{n}"), quarter=undated.quarter, n_items=1)
    client.force_login(leader_user)
    lines = card_lines(client.get("/").content.decode())
    assert lines[0] == "待约谈：2019Q2 营销部党支部，2030-04-02 09:30"
    assert "待约谈：2019Q1 营销部党支部，时间待定" in lines
    assert len(lines) == 6  # all of them


def test_a_held_interview_is_no_longer_listed(client, leader_user, marketing_twice):
    _undated, scheduled = marketing_twice
    Interview.objects.filter(pk=scheduled.pk).update(held_at=timezone.now())
    client.force_login(leader_user)
    assert card_lines(client.get("/").content.decode()) == ["待约谈：2019Q1 营销部党支部，时间待定"]


def test_scheduled_ones_are_in_time_order_before_all_undated(client, dept_user, marketing_twice):
    undated, _scheduled = marketing_twice
    early = make_interview(branch=factories.BranchFactory(name="财务部党支部"), quarter=undated.quarter, n_items=1)
    Interview.objects.filter(pk=early.pk).update(scheduled_at=at(1, 15))
    client.force_login(dept_user)
    assert card_lines(client.get("/").content.decode()) == [
        "待约谈：2019Q1 财务部党支部，2030-04-01 15:30",
        "待约谈：2019Q2 营销部党支部，2030-04-02 09:30",
        "待约谈：2019Q1 营销部党支部，时间待定",
    ]


def test_beyond_the_card_a_link_lists_all_in_the_same_order(client, leader_user, marketing_twice):
    undated, _scheduled = marketing_twice
    for n in range(HOME_TO_HOLD):
        make_interview(branch=factories.BranchFactory(name=f"支部{n:02d}"), quarter=undated.quarter, n_items=1)
    client.force_login(leader_user)
    body = client.get("/").content.decode()
    assert len(card_lines(body)) == HOME_TO_HOLD
    assert card_lines(body)[0] == "待约谈：2019Q2 营销部党支部，2030-04-02 09:30"
    assert f'href="/interviews/?to_hold=1">全部待约谈（{HOME_TO_HOLD + 2} 个）' in body
    listed = client.get("/interviews/?to_hold=1").content.decode()
    assert "待约谈（已定时间的在前）" in listed
    assert listed.index("2030-04-02 09:30") < listed.index("支部00")
    assert listed.count("营销部党支部") == 2


def test_the_card_is_not_shown_to_a_secretary(client, secretary_user, marketing_twice):
    client.force_login(secretary_user)
    assert "待约谈：" not in client.get("/").content.decode()
    listed = client.get("/interviews/?to_hold=1").content.decode()
    assert "营销部党支部" not in listed  # their own list, never others'

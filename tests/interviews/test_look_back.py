"""Look-back (回头看): per item held / not held; an item that did not hold reopens."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches.models import Notice
from interviews.models import ItemStatus, LookBackResult
from interviews.services import item_accept, look_back_record, look_back_schedule
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_interview(secretary_user, dept_user):
    interview = make_interview(branch=secretary_user.branch, n_items=2, **answered(status=ItemStatus.COMPLETED))
    for item in interview.items.all():
        item_accept(item=item, user=dept_user)
    interview.refresh_from_db()
    assert interview.is_closed
    return interview


def test_an_item_that_did_not_hold_reopens_and_the_rectification_with_it(closed_interview, dept_user, secretary_user):
    held, not_held = closed_interview.items.order_by("position")
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    reopened = look_back_record(
        look_back=look_back, user=dept_user, results={held.pk: (True, ""), not_held.pk: (False, "台账又停更了")}
    )
    assert reopened == [not_held]
    held.refresh_from_db()
    not_held.refresh_from_db()
    closed_interview.refresh_from_db()
    assert held.status == ItemStatus.ACCEPTED
    assert not_held.status == ItemStatus.IN_PROGRESS
    assert not_held.accepted_at is None
    assert not closed_interview.is_closed
    assert LookBackResult.objects.filter(look_back=look_back).count() == 2
    assert Notice.objects.filter(user=secretary_user, message__contains="未保持").count() == 1


def test_the_secretary_is_told_of_the_look_back(closed_interview, dept_user, secretary_user):
    look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    assert Notice.objects.filter(user=secretary_user, message__contains="2030-03-01").count() == 1


def test_all_held_keeps_the_rectification_closed(closed_interview, dept_user):
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    look_back_record(
        look_back=look_back, user=dept_user, results={i.pk: (True, "") for i in closed_interview.items.all()}
    )
    closed_interview.refresh_from_db()
    assert closed_interview.is_closed


def test_every_accepted_item_needs_a_verdict(closed_interview, dept_user):
    first = closed_interview.items.first()
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    with pytest.raises(ValidationError):
        look_back_record(look_back=look_back, user=dept_user, results={first.pk: (False, "")})
    first.refresh_from_db()
    look_back.refresh_from_db()
    assert first.status == ItemStatus.ACCEPTED
    assert not look_back.is_done


def test_recording_twice_changes_nothing_twice(closed_interview, dept_user):
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    results = {i.pk: (False, "") for i in closed_interview.items.all()}
    look_back_record(look_back=look_back, user=dept_user, results=results)
    with pytest.raises(ValidationError):
        look_back_record(look_back=look_back, user=dept_user, results=results)
    assert LookBackResult.objects.count() == 2


def test_a_look_back_needs_something_accepted(dept_user):
    interview = make_interview(n_items=1)
    with pytest.raises(ValidationError):
        look_back_schedule(interview=interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))


def test_the_look_back_page_reopens_an_item(client, closed_interview, dept_user):
    held, not_held = closed_interview.items.order_by("position")
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    client.force_login(dept_user)
    page = client.get(f"/interviews/look-backs/{look_back.pk}/")
    assert page.status_code == 200
    assert "未保持" in page.content.decode()
    response = client.post(
        f"/interviews/look-backs/{look_back.pk}/record/",
        {f"held_{held.pk}": "yes", f"held_{not_held.pk}": "no", f"note_{not_held.pk}": "又出现了"},
    )
    assert response.status_code == 302
    not_held.refresh_from_db()
    assert not_held.status == ItemStatus.IN_PROGRESS


def test_the_secretary_cannot_record_a_look_back(client, closed_interview, dept_user, secretary_user):
    look_back = look_back_schedule(interview=closed_interview, user=dept_user, scheduled_on=datetime.date(2030, 3, 1))
    client.force_login(secretary_user)
    response = client.post(
        f"/interviews/look-backs/{look_back.pk}/record/", {f"held_{i.pk}": "no" for i in closed_interview.items.all()}
    )
    assert response.status_code == 403
    assert not closed_interview.items.exclude(status=ItemStatus.ACCEPTED).exists()

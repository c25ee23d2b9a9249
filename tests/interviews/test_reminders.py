"""Reminders: items due within 7 days and overdue items notify the responsible secretary, once a day."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from branches.models import Notice
from interviews.models import ItemStatus, Reminder
from interviews.services import reminders_send
from interviews.tasks import send_rectification_reminders
from tests.interviews.helpers import answered, celery_pools_reset, make_interview

TODAY = datetime.date(2030, 5, 10)


def _items(secretary):
    """One item per case, named by what the reminder must do with it."""
    interview = make_interview(branch=secretary.branch, n_items=0)
    cases = {
        "overdue": answered(deadline=TODAY - datetime.timedelta(days=3)),
        "due_today": answered(deadline=TODAY),
        "due_in_7": answered(deadline=TODAY + datetime.timedelta(days=7)),
        "due_in_8": answered(deadline=TODAY + datetime.timedelta(days=8)),
        "returned_overdue": answered(deadline=TODAY - datetime.timedelta(days=1), status=ItemStatus.RETURNED),
        "completed_overdue": answered(deadline=TODAY - datetime.timedelta(days=1), status=ItemStatus.COMPLETED),
        "accepted_due": answered(deadline=TODAY + datetime.timedelta(days=1), status=ItemStatus.ACCEPTED),
        "no_deadline": {"status": ItemStatus.PENDING},
    }
    return {
        name: interview.items.create(description=name, position=n, **fields)
        for n, (name, fields) in enumerate(cases.items(), start=1)
    }


REMINDED = {"overdue", "due_today", "due_in_7", "returned_overdue"}


@pytest.mark.django_db
def test_it_reminds_exactly_the_open_items_due_within_a_week_or_overdue(
    secretary_user, django_capture_on_commit_callbacks
):
    secretary_user.email = "shuji@example.com"
    secretary_user.save()
    items = _items(secretary_user)
    with django_capture_on_commit_callbacks(execute=True):  # the mails leave on commit
        sent = reminders_send(today=TODAY)
    assert {r.item.description for r in sent} == REMINDED
    assert {r.user_id for r in sent} == {secretary_user.pk}
    kinds = {r.item.description: r.kind for r in sent}
    assert kinds["overdue"] == Reminder.Kind.OVERDUE
    assert kinds["due_in_7"] == Reminder.Kind.DUE_SOON
    assert Notice.objects.filter(user=secretary_user).count() == 4
    assert len(mail.outbox) == 4
    assert all(m.to == ["shuji@example.com"] for m in mail.outbox)
    overdue_notice = Notice.objects.get(url=items["overdue"].get_absolute_url())
    assert "已逾期" in overdue_notice.message


class _RolledBack(Exception):
    pass


# transaction=True: real commits and rollbacks, not the test's own transaction.
@pytest.mark.django_db(transaction=True)
def test_a_reminder_rolled_back_sends_no_mail_and_a_committed_one_sends_it_after_commit(secretary_user):
    secretary_user.email = "shuji@example.com"
    secretary_user.save()
    _items(secretary_user)
    with pytest.raises(_RolledBack), transaction.atomic():
        assert len(reminders_send(today=TODAY)) == 4
        assert mail.outbox == []  # claimed and noticed, not mailed yet
        raise _RolledBack
    assert mail.outbox == []
    assert not Reminder.objects.exists() and not Notice.objects.exists()

    with transaction.atomic():
        assert len(reminders_send(today=TODAY)) == 4
        assert mail.outbox == []  # inside the caller's transaction: nothing has left yet
    assert len(mail.outbox) == 4
    assert all(m.to == ["shuji@example.com"] for m in mail.outbox)


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(secretary_user):
    _items(secretary_user)
    assert len(reminders_send(today=TODAY)) == 4
    assert reminders_send(today=TODAY) == []
    assert Notice.objects.count() == 4
    # The next day the item due in 8 days has come within the week as well.
    tomorrow = reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert {r.item.description for r in tomorrow} == REMINDED | {"due_in_8"}


@pytest.mark.django_db
def test_without_a_secretary_the_interviewee_is_reminded(secretary_user):
    branch = secretary_user.branch
    branch.secretary = None
    branch.save()
    secretary_user.groups.clear()
    other = type(secretary_user).objects.create(username="interviewee")
    interview = make_interview(branch=branch, n_items=0)
    interview.interviewee = other
    interview.save()
    interview.items.create(description="x", **answered(deadline=TODAY))
    sent = reminders_send(today=TODAY)
    assert [r.user for r in sent] == [other]


@pytest.mark.django_db
def test_the_task_runs_eagerly_and_uses_todays_date(secretary_user):
    interview = make_interview(branch=secretary_user.branch, n_items=0)
    today = timezone.localdate()
    interview.items.create(description="逾期", **answered(deadline=today - datetime.timedelta(days=1)))
    interview.items.create(description="远期", **answered(deadline=today + datetime.timedelta(days=30)))
    assert send_rectification_reminders.delay().get() == 1
    assert list(Reminder.objects.values_list("item__description", "sent_on")) == [("逾期", today)]


def test_the_schedule_lives_in_settings_in_the_companys_time_zone():
    entry = settings.CELERY_BEAT_SCHEDULE["interviews-rectification-reminders"]
    assert entry["task"] == "interviews.tasks.send_rectification_reminders"
    assert settings.USE_TZ is True
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    from celery.schedules import crontab

    assert isinstance(entry["schedule"], crontab)


def _wait_for(predicate, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.2)


@pytest.fixture
def fresh_producer_pools():
    """Requested before celery_worker_redis, so it is torn down after it: later tests then open
    fresh connections for the broker the fixture restored."""
    yield
    celery_pools_reset()


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_runs_through_a_real_redis_worker(fresh_producer_pools, celery_worker_redis, secretary_user):
    # Results are read from the database the worker writes to, not from a result backend.
    interview = make_interview(branch=secretary_user.branch, n_items=0)
    today = timezone.localdate()
    due = interview.items.create(description="三天后到期", **answered(deadline=today + datetime.timedelta(days=3)))
    interview.items.create(description="已验收", **answered(deadline=today, status=ItemStatus.ACCEPTED))
    interview.items.create(description="远期", **answered(deadline=today + datetime.timedelta(days=30)))
    send_rectification_reminders.delay()
    _wait_for(lambda: Notice.objects.filter(user=secretary_user).exists())
    assert list(Reminder.objects.values_list("item_id", flat=True)) == [due.pk]
    assert Notice.objects.filter(user=secretary_user, url=due.get_absolute_url()).count() == 1
    # Two more runs through the worker the same day send nothing more.
    send_rectification_reminders.delay()
    send_rectification_reminders.delay()
    _wait_for(lambda: _worker_idle(celery_worker_redis))
    assert Reminder.objects.count() == 1
    assert Notice.objects.filter(user=secretary_user).count() == 1


def _worker_idle(worker) -> bool:
    from celery.worker import state

    return not state.active_requests and not state.reserved_requests


# transaction=True: the scheduler closes "old" connections, which would end a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_beat_installs_the_schedule_at_half_past_eight_shanghai_time():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from baiyin_eval.celery import app

    DatabaseScheduler(app=app, lazy=False)
    task = PeriodicTask.objects.get(name="interviews-rectification-reminders")
    assert task.task == "interviews.tasks.send_rectification_reminders"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("8", "30", "Asia/Shanghai")

"""Concurrent runs (PostgreSQL only: SQLite serialises writers and ignores row locks)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from branches.models import Notice
from interviews.models import ItemEvent, ItemStatus, Reminder
from interviews.services import item_accept, reminders_send
from tests.helpers import is_postgres
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2030, 5, 10)


def _race(n: int, work) -> list:
    """Run `work` in n threads released together; collect what each returned or raised."""
    barrier = threading.Barrier(n)
    outcomes: list = []

    def run():
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.fixture(autouse=True)
def _postgres_only():
    if not is_postgres():
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def test_two_reminder_runs_at_once_send_one_reminder_per_item(secretary_user):
    interview = make_interview(branch=secretary_user.branch, n_items=0)
    for n in range(5):
        interview.items.create(description=f"事项{n}", **answered(deadline=TODAY + datetime.timedelta(days=n)))
    outcomes = _race(4, lambda: len(reminders_send(today=TODAY)))
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 5
    assert Reminder.objects.count() == 5
    assert Notice.objects.filter(user=secretary_user).count() == 5


def test_two_clicks_on_accept_at_once_accept_once(dept_user):
    item = make_interview(n_items=1, **answered(status=ItemStatus.COMPLETED)).items.get()
    outcomes = _race(3, lambda: item_accept(item=item, user=dept_user))
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1
    assert ItemEvent.objects.filter(item=item, to_status=ItemStatus.ACCEPTED).count() == 1

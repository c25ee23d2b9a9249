"""Publication under real concurrency (PostgreSQL) and through a real Redis-backed Celery worker."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from boards.models import BoardEntry
from boards.services import quarter_publish
from branches.models import Notice
from scoring.models import Quarter
from tests.boards.helpers import score_quarter
from tests.factories import QuarterFactory
from tests.helpers import is_postgres, make_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publishes_publish_once():
    if not is_postgres():
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    dept = make_user("党建部", username="dept")
    quarter = QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)
    score_quarter(quarter, {"1": ["0.9", "0.8", "0.7"], "2": ["0.9", "0.5"]})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish():
        try:
            barrier.wait()
            quarter_publish(quarter=Quarter.objects.get(pk=quarter.pk), user=dept)
            outcomes.append("published")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes)[0] == "published" and "已经发布" in sorted(outcomes)[1], outcomes
    assert BoardEntry.objects.filter(quarter=quarter).count() == 5


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_follow_ups_run_on_a_real_worker(celery_worker_redis):
    dept = make_user("党建部", username="dept")
    quarter = QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)
    branches = score_quarter(quarter, {"1": ["0.9", "0.8", "0.7"]})
    secretary = make_user("支部书记", username="sec")
    branches["支部1-003"].secretary = secretary
    branches["支部1-003"].save()
    quarter_publish(quarter=quarter, user=dept)
    board_notices = Notice.objects.filter(user=secretary, url__startswith="/boards/")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not board_notices.exists():
        time.sleep(0.2)
    assert "列入蓝榜" in board_notices.get().message

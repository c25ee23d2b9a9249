"""The broker fails between publication's commit and the queueing of its follow-ups: nothing is
lost. A real redis-server of our own is killed, then started again; a real `celery worker` and
`celery beat` (the settings' schedule, django-celery-beat's scheduler) pick the jobs up, and each
follow-up is done exactly once."""

from __future__ import annotations

import logging

import pytest

from boards import followups
from boards.models import FollowUp
from boards.services import quarter_publish
from tests.boards.test_follow_ups import EXPECTED, effects
from tests.processes import CeleryProcess, RedisServer, process_env, require_real_processes, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    require_real_processes()
    server = RedisServer()
    server.start()
    yield server
    server.kill()


@pytest.fixture
def app_on(redis_server):
    """This process's Celery app publishing to our redis-server, as the web process does."""
    from baiyin_eval.celery import app
    from tests.helpers import forget_producer_pool

    old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    forget_producer_pool()
    yield app
    app.conf.update(old)
    forget_producer_pool()


def test_follow_ups_lost_at_commit_are_done_once_when_the_broker_returns(
    board_with_people, dept_user, redis_server, app_on, tmp_path, caplog
):
    from baiyin_eval.health import queue_available

    quarter, _ = board_with_people
    assert queue_available()  # the button's check passes…
    redis_server.kill()  # …then the broker dies before the commit's queueing
    with caplog.at_level(logging.WARNING, logger="boards.followups"):
        published = quarter_publish(quarter=quarter, user=dept_user)
    assert published.is_published  # publication stands
    assert caplog.text.count("could not be queued; the sweep will queue it again") == len(followups.registered())
    assert set(FollowUp.objects.filter(quarter=quarter).values_list("status", flat=True)) == {"pending"}
    assert effects(quarter) == dict.fromkeys(EXPECTED, 0)

    redis_server.start()  # the broker is back, with an empty queue: the jobs exist only as rows
    env = process_env(redis_server.url, FOLLOW_UP_REQUEUE_AFTER="1", FOLLOW_UP_SWEEP_EVERY="1")
    worker = CeleryProcess.worker(env, tmp_path / "worker.log")
    beat = CeleryProcess.beat(env, tmp_path / "beat.log", tmp_path)
    try:
        wait_until(
            lambda: not FollowUp.objects.filter(quarter=quarter).exclude(status="done").exists(),
            120,
            "every follow-up done",
            worker,
            beat,
        )
        # A few more sweeps: nothing is queued again, nothing is created twice.
        wait_until(lambda: beat.output().count("boards.follow_ups_requeue") >= 3, 30, "three more sweeps", beat)
    finally:
        beat.stop()
        worker.stop()
    assert "Sending due task boards-follow-ups-sweep (boards.follow_ups_requeue)" in beat.output()
    assert "Re-queued 4 publication follow-up(s)" in worker.output()
    jobs = FollowUp.objects.filter(quarter=quarter)
    assert {(j.status, j.attempts, j.error) for j in jobs} == {("done", 1, "")}  # each ran exactly once
    assert effects(quarter) == EXPECTED

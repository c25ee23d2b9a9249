"""Publication's follow-ups as an outbox: written with the publication, run once, swept, listed.

The same scenario through a real Redis-backed worker with the broker killed is in
tests/boards/test_follow_ups_worker.py.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from boards import followups
from boards.models import BoardEntry, FollowUp
from boards.services import quarter_publish
from branches.models import Notice
from fairness.models import SeverityReportRecord
from interviews.models import Interview, RectificationItem
from ratings.models import StarRating
from scoring.models import Quarter
from tests.boards.helpers import BROKEN, follow_ups_registered, score_quarter
from tests.helpers import login

pytestmark = pytest.mark.django_db


def effects(quarter: Quarter) -> dict[str, int]:
    """How many of each thing the follow-ups create exist for the quarter."""
    return {
        "board_notices": Notice.objects.filter(
            url__startswith="/boards/", url__endswith=f"?quarter={quarter.code}"
        ).count(),
        "interviews": Interview.objects.filter(quarter=quarter).count(),
        "items": RectificationItem.objects.filter(interview__quarter=quarter).count(),
        "checklist_notices": Notice.objects.filter(url__startswith="/interviews/").count(),
        "star_ratings": StarRating.objects.filter(quarter=quarter).count(),
        "severity_reports": SeverityReportRecord.objects.filter(quarter=quarter).count(),
    }


EXPECTED = {
    "board_notices": 7,  # every ranked branch's secretary
    "interviews": 3,  # the blue board: 支部1-003, the tie 支部2-002 and 支部2-003
    "items": 3,
    "checklist_notices": 3,
    "star_ratings": 7,
    "severity_reports": 1,
}


def test_publication_writes_the_jobs_in_its_own_transaction_and_queues_them_after_commit(
    board_with_people, dept_user, django_capture_on_commit_callbacks
):
    quarter, _ = board_with_people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quarter_publish(quarter=quarter, user=dept_user)
    jobs = list(FollowUp.objects.filter(quarter=quarter).order_by("id"))
    assert [j.name for j in jobs] == [job.name for job in followups.registered()]
    assert {j.status for j in jobs} == {FollowUp.Status.PENDING}
    assert len(callbacks) == 1  # nothing queued before the commit
    assert effects(quarter) == dict.fromkeys(EXPECTED, 0)


def test_a_refused_publication_writes_no_jobs(scoring_quarter, dept_user):
    score_quarter(scoring_quarter, {"1": ["0.9", None]})
    with pytest.raises(ValidationError):
        quarter_publish(quarter=scoring_quarter, user=dept_user)
    assert not FollowUp.objects.exists()


def test_every_follow_up_runs_and_is_marked_done(board_with_people, dept_user, django_capture_on_commit_callbacks):
    quarter, _ = board_with_people
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    jobs = FollowUp.objects.filter(quarter=quarter)
    assert {(j.status, j.attempts) for j in jobs} == {(FollowUp.Status.DONE, 1)}
    assert all(j.finished_at for j in jobs)
    assert effects(quarter) == EXPECTED


@pytest.mark.parametrize("name", [job.name for job in followups.registered()])
def test_each_follow_up_run_twice_creates_nothing_twice(
    board_with_people, dept_user, django_capture_on_commit_callbacks, name
):
    """Even with its "done" mark lost (a redelivered task, a re-queue racing the worker), a job run
    again adds nothing: each follow-up is idempotent by itself."""
    from django.core import mail

    quarter, _ = board_with_people
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    before, mails = effects(quarter), len(mail.outbox)
    job = FollowUp.objects.get(quarter=quarter, name=name)
    with django_capture_on_commit_callbacks(execute=True):
        assert followups.follow_up_run(follow_up_id=job.pk).status == FollowUp.Status.DONE  # done: left alone
    FollowUp.objects.filter(pk=job.pk).update(status=FollowUp.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        assert followups.follow_up_run(follow_up_id=job.pk).status == FollowUp.Status.DONE
    assert effects(quarter) == before == EXPECTED
    assert len(mail.outbox) == mails
    job.refresh_from_db()
    assert job.attempts == 2  # it did run the second time


def test_a_failed_follow_up_rolls_back_what_it_wrote_and_runs_cleanly_later(
    board_with_people, dept_user, monkeypatch, django_capture_on_commit_callbacks
):
    """Interviews half-created then an error: nothing stays, and the retry creates each once."""
    import interviews.services.publication

    quarter, _ = board_with_people
    real = interviews.services.publication.notice_send
    calls = []

    def notice_send_failing_on_the_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ConnectionError("mail relay down")
        return real(**kwargs)

    monkeypatch.setattr(interviews.services.publication, "notice_send", notice_send_failing_on_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    job = FollowUp.objects.get(quarter=quarter, name="interviews.services.interviews_create_for_quarter")
    assert (job.status, job.attempts, job.error) == (FollowUp.Status.FAILED, 1, "ConnectionError: mail relay down")
    assert Interview.objects.filter(quarter=quarter).count() == 0  # the first interview rolled back too
    with django_capture_on_commit_callbacks(execute=True):
        followups.follow_ups_run_pending(quarter=quarter)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (FollowUp.Status.DONE, 2, "")
    assert effects(quarter) == EXPECTED


def test_the_sweep_queues_again_only_the_jobs_not_done_in_time(
    board_with_people, dept_user, settings, django_capture_on_commit_callbacks
):
    quarter, _ = board_with_people
    settings.FOLLOW_UP_REQUEUE_AFTER = 180
    with django_capture_on_commit_callbacks(execute=False):  # the broker "failed": nothing queued
        quarter_publish(quarter=quarter, user=dept_user)
    now = timezone.now()
    assert followups.follow_ups_requeue(now=now) == 0  # queued a moment ago: not stale yet
    jobs = list(FollowUp.objects.filter(quarter=quarter).order_by("id"))
    FollowUp.objects.filter(pk=jobs[0].pk).update(status=FollowUp.Status.DONE)  # already done
    FollowUp.objects.filter(pk=jobs[1].pk).update(attempts=followups.MAX_ATTEMPTS)  # given up on
    with django_capture_on_commit_callbacks(execute=True):
        assert followups.follow_ups_requeue(now=now + timedelta(seconds=181)) == 2
    states = {j.name: (j.status, j.attempts) for j in FollowUp.objects.filter(quarter=quarter)}
    assert states[jobs[0].name] == (FollowUp.Status.DONE, 0)  # not run again
    assert states[jobs[1].name] == (FollowUp.Status.PENDING, followups.MAX_ATTEMPTS)
    assert states[jobs[2].name] == states[jobs[3].name] == (FollowUp.Status.DONE, 1)
    assert FollowUp.objects.get(pk=jobs[2].pk).queued_at == now + timedelta(seconds=181)


def test_the_sweep_is_on_the_beat_schedule_that_celery_beat_loads(settings):
    """`celery beat` runs django-celery-beat's DatabaseScheduler, which takes CELERY_BEAT_SCHEDULE
    into its table at start: the sweep is there, every minute, naming a registered task."""
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from baiyin_eval.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["boards-follow-ups-sweep"]
    assert entry["task"] == "boards.follow_ups_requeue" and entry["schedule"] == 60.0
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "boards.follow_ups_requeue" in app.tasks
    # What `celery beat` does at start (DatabaseScheduler.setup_schedule → update_from_dict), entry
    # by entry: the scheduler object itself closes the test's connection when collected.
    for name, fields in settings.CELERY_BEAT_SCHEDULE.items():
        DatabaseScheduler.Entry.from_entry(name, app=app, **fields)
    task = PeriodicTask.objects.get(name="boards-follow-ups-sweep")
    assert (task.task, task.enabled, task.interval.every, task.interval.period) == (
        "boards.follow_ups_requeue",
        True,
        60,
        "seconds",
    )


def test_docker_compose_runs_celery_beat_with_the_apps_settings():
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    beat = compose["services"]["beat"]
    assert beat["command"][:4] == ["celery", "-A", "baiyin_eval", "beat"]
    assert beat["environment"]["DJANGO_SETTINGS_MODULE"] == "baiyin_eval.settings.production"
    assert beat["environment"]["CELERY_BROKER_URL"] == compose["services"]["worker"]["environment"]["CELERY_BROKER_URL"]


# --- the `followups` command ----------------------------------------------------------------------


def followups_command(*args) -> str:
    out = StringIO()
    call_command("followups", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_the_jobs_with_their_state_and_runs_the_pending_ones(
    board_with_people, dept_user, django_capture_on_commit_callbacks
):
    quarter, _ = board_with_people
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: nothing ran
        quarter_publish(quarter=quarter, user=dept_user)
    listing = followups_command("--quarter", quarter.code)
    assert listing.count("待执行") == 4
    for label in ("通知各党组织书记", "建立蓝榜约谈和整改清单", "星级党支部评定", "评分宽严情况报告"):
        assert f"{quarter.code}  {label}  待执行  执行 0 次" in listing
    assert followups_command() == listing  # without --quarter: every job not done

    with django_capture_on_commit_callbacks(execute=True):
        out = followups_command("--quarter", quarter.code, "--run")
    assert "执行了 4 项后续工作。" in out and out.count("已完成") == 4
    assert effects(quarter) == EXPECTED
    with django_capture_on_commit_callbacks(execute=True):
        again = followups_command("--quarter", quarter.code, "--run")
    assert "执行了 0 项后续工作。" in again
    assert effects(quarter) == EXPECTED
    assert followups_command() == "没有未完成的后续工作。\n"


def test_the_command_fails_while_a_job_still_fails(board_with_people, dept_user, monkeypatch):
    quarter, _ = board_with_people
    follow_ups_registered(monkeypatch, BROKEN)
    quarter_publish(quarter=quarter, user=dept_user)
    with pytest.raises(CommandError, match="仍有后续工作未完成"):
        followups_command("--quarter", quarter.code, "--run")
    assert "出错，将重试" in followups_command("--quarter", quarter.code)
    assert "错误：RuntimeError: boom" in followups_command("--quarter", quarter.code)


def test_the_command_names_an_unknown_quarter(db):
    with pytest.raises(CommandError, match="季度 2099Q9 不存在"):
        followups_command("--quarter", "2099Q9")


# --- `board --publish` with the queue down ---------------------------------------------------------


@pytest.fixture
def broker_down(settings):
    """The Celery app pointed at a port nobody listens on, as in production with Redis stopped."""
    import socket

    from baiyin_eval.celery import app
    from tests.helpers import forget_producer_pool

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False)
    forget_producer_pool()
    yield
    app.conf.update(old)
    forget_producer_pool()


def test_board_publish_is_refused_with_the_buttons_message_when_the_queue_is_down(small_board, dept_user, broker_down):
    quarter, _ = small_board
    with pytest.raises(CommandError) as error:
        call_command("board", "--quarter", quarter.code, "--publish", "--user", dept_user.username, stdout=StringIO())
    assert str(error.value) == followups.queue_down_message()
    assert "后台任务队列暂不可用" in str(error.value)
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING
    assert not BoardEntry.objects.exists() and not FollowUp.objects.exists()


def test_the_publish_button_gives_the_same_message(small_board, dept_user, client, broker_down):
    quarter, _ = small_board
    login(client, dept_user)
    response = client.post(reverse("boards:publish", args=[quarter.code]), {"confirm": "1"}, follow=True)
    assert followups.queue_down_message() in response.content.decode()
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING


# --- the quarter's page ----------------------------------------------------------------------------


def test_the_quarter_page_shows_dept_each_jobs_state_in_chinese(
    board_with_people, dept_user, client, monkeypatch, django_assert_num_queries
):
    quarter, _ = board_with_people
    follow_ups_registered(monkeypatch, *followups.registered(), BROKEN)
    quarter_publish(quarter=quarter, user=dept_user)  # no commit in this test: nothing ran yet
    jobs = list(FollowUp.objects.filter(quarter=quarter).order_by("id"))
    FollowUp.objects.filter(pk=jobs[0].pk).update(status=FollowUp.Status.DONE, attempts=1, finished_at=timezone.now())
    FollowUp.objects.filter(pk=jobs[4].pk).update(status=FollowUp.Status.FAILED, attempts=3, error="RuntimeError: boom")
    login(client, dept_user)
    url = reverse("scoring:quarter_overview", args=[quarter.code])
    client.get(url)  # warm the session and the translation catalog
    # savepoint, session, user, groups, quarter, quarter list, progress (4 counts), groups,
    # follow-ups (ONE query, however many jobs), the viewer's evaluating unit (issue 17), release savepoint.
    with django_assert_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    assert "发布后续工作" in html
    assert html.count("待执行") == 3 and "已完成" in html and "出错，将重试" in html
    assert "RuntimeError: boom" in html and "等待后台任务执行" in html
    assert "manage.py" not in html  # 党建部 are not shown shell commands
    for label in ("通知各党组织书记", "建立蓝榜约谈和整改清单", "星级党支部评定", "评分宽严情况报告"):
        assert label in html


def test_an_unpublished_quarters_page_has_no_follow_ups_section(scoring_quarter, dept_user, client):
    login(client, dept_user)
    html = client.get(reverse("scoring:quarter_overview", args=[scoring_quarter.code])).content.decode()
    assert "发布后续工作" not in html


def test_the_quarter_page_is_refused_to_inspectors(board_with_people, dept_user, inspector_user, client):
    quarter, _ = board_with_people
    quarter_publish(quarter=quarter, user=dept_user)
    login(client, inspector_user)
    assert client.get(reverse("scoring:quarter_overview", args=[quarter.code])).status_code == 403

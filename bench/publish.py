"""Publishing a whole quarter: boards.services.quarter_publish (freeze, store every board row,
queue the follow-ups on commit). The follow-ups go to a Redis broker (common.BROKER: db 7 unless
BENCH_BROKER_URL says otherwise; emptied afterwards)
and are not run here: publication is what is timed. A quarter published by an earlier run is put
back to 评分中 first (board rows deleted), so the script can be re-run.

    python -m bench.publish
"""

from __future__ import annotations

import os

from bench import common

BROKER = common.BROKER


def reset(quarter) -> None:
    from boards.models import BoardEntry, BoardScore, FollowUp, PublishedIndicator
    from scoring.models import Quarter

    FollowUp.objects.filter(quarter=quarter).delete()  # publication writes them again
    BoardScore.objects.filter(quarter=quarter).delete()
    BoardEntry.objects.filter(quarter=quarter).delete()
    PublishedIndicator.objects.filter(quarter=quarter).delete()
    Quarter.objects.filter(pk=quarter.pk).update(
        status=Quarter.Status.SCORING, published_at=None, published_by=None, closed_at=None
    )


def main() -> None:
    os.environ.setdefault("BENCH_CELERY_BROKER_URL", BROKER)
    common.setup()
    import redis
    from django.db import connection

    from boards.models import BoardEntry, BoardScore
    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    n = common.branch_count()
    common.print_machine(f"publication, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    if quarter.is_published:
        reset(quarter)
        quarter.refresh_from_db()
    queue = redis.Redis.from_url(os.environ["BENCH_CELERY_BROKER_URL"])
    queue.flushdb()
    dept = User.objects.get(username="bench_dept")
    before = common.current_rss_mb()
    with common.timer() as elapsed:
        quarter_publish(quarter=quarter, user=dept)
    seconds = elapsed()
    queued = queue.llen("celery")
    queue.flushdb()
    with connection.cursor() as cursor:  # what autovacuum does shortly after a bulk load
        cursor.execute("VACUUM ANALYZE boards_boardentry")
        cursor.execute("VACUUM ANALYZE boards_boardscore")
    follow_ups = time_follow_ups(quarter)
    with connection.cursor() as cursor:  # the follow-ups' rows too (star ratings, interviews)
        cursor.execute("ANALYZE")
    common.record(
        "publish",
        n,
        seconds=round(seconds, 2),
        board_rows=BoardEntry.objects.filter(quarter=quarter).count(),
        board_score_rows=BoardScore.objects.filter(quarter=quarter).count(),
        follow_up_tasks_queued=queued,
        rss_growth_mb=round(common.peak_rss_mb() - before, 1),
        target_s=15,
        met=seconds < 15,
        **follow_ups,
    )


FOLLOW_UP_LIMIT = 30  # seconds each; a slower follow-up is stopped and reported as such


def _run_follow_up(run, quarter_id: int) -> None:
    from scoring.models import Quarter

    run(quarter=Quarter.objects.get(pk=quarter_id))


def time_follow_ups(quarter) -> dict[str, object]:
    """Each follow-up of publication run here, one after the other, each in a forked process
    stopped after FOLLOW_UP_LIMIT seconds: the work the Celery worker does after publication
    (not part of the 15 s target). Per-secretary notices are queued tasks (none here: the
    synthetic branches have no secretaries)."""
    import multiprocessing

    from django.db import connections

    from boards.followups import registered

    out: dict[str, object] = {}
    for job in registered():
        name = job.name.rsplit(".", 1)[1]
        connections.close_all()  # the child opens its own connection
        child = multiprocessing.get_context("fork").Process(target=_run_follow_up, args=(job.run, quarter.pk))
        with common.timer() as elapsed:
            child.start()
            child.join(FOLLOW_UP_LIMIT)
        if child.is_alive():
            child.terminate()
            child.join()
            out[f"follow_up_{name}_s"] = f"stopped after {FOLLOW_UP_LIMIT} s"
        elif child.exitcode:
            out[f"follow_up_{name}_s"] = f"failed (exit {child.exitcode})"
        else:
            out[f"follow_up_{name}_s"] = round(elapsed(), 2)
    return out


if __name__ == "__main__":
    main()

"""Issue 17 at State Grid's size: every 党委 in one installation.

    python -m bench.units generate   # rebuild BENCH_DATABASE_URL with the tree (refused unless "bench")
    python -m bench.units measure    # the four measurements below, on the generated database

The tree, written with COPY like bench/generate.py: 总部 → 27 province companies → 14 city companies
each → 3 county companies each (1,540 evaluating units over four levels), plus a non-evaluating
department unit under every city (its branches are evaluated by the city): 44,000 branches in all,
the same branch names repeated in every unit. Every evaluating unit has the quarter 2031Q1 scored
(a submitted sheet per branch, the default scheme) and 2030Q4 published; 2031Q1 is published in
nine units of ten (board rows written as publication leaves them, with the blue-board branches'
interviews and rectification items), the tenth still scoring.

Measured: one city's publication through boards.services.quarter_publish (target < 1 s); the
headquarters' roll-up page over all 1,540 units (queries independent of the number of units,
target < 500 ms), and a province's; the city's published board page (compare with `bench.pages`
on a single-company database of the city's size); the access checks of a roll-up and of a board at
the top and at the bottom of the tree (queries and time must not grow with the tree).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench import common
from bench.units_tree import BRANCHES, CODE, generate

BROKER = "redis://127.0.0.1:6379/9"
REPEAT = 7


# --- measuring -------------------------------------------------------------------------------------


def _get(client, url: str) -> tuple[float, int]:
    """Median server time (s) of REPEAT requests after one warm-up, and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def _call(fn) -> tuple[float, int]:
    """Median time (s) of REPEAT calls and the query count of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def _reset(quarter) -> None:
    from boards.models import BoardEntry, BoardScore, FollowUp, PublishedIndicator
    from interviews.models import Interview
    from ratings.models import StarRating
    from scoring.models import Quarter

    Interview.objects.filter(quarter=quarter).delete()
    StarRating.objects.filter(quarter=quarter).delete()
    FollowUp.objects.filter(quarter=quarter).delete()
    BoardScore.objects.filter(quarter=quarter).delete()
    BoardEntry.objects.filter(quarter=quarter).delete()
    PublishedIndicator.objects.filter(quarter=quarter).delete()
    Quarter.objects.filter(pk=quarter.pk).update(
        status=Quarter.Status.SCORING, published_at=None, published_by=None, closed_at=None
    )


def measure() -> None:
    os.environ.setdefault("BENCH_CELERY_BROKER_URL", BROKER)
    common.setup()
    import redis
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from boards.models import BoardEntry
    from boards.services import quarter_publish
    from branches.models import Branch, Unit, User
    from rollup import access as rollup_access
    from rollup.links import board_url
    from scoring.models import Quarter

    common.print_machine("units measure")
    figures: dict[str, object] = {
        "units": Unit.objects.count(),
        "evaluating_units": Unit.objects.filter(is_evaluating=True).count(),
        "branches": Branch.objects.count(),
        "board_entries": BoardEntry.objects.count(),
    }
    hq = Unit.objects.get(depth=1)
    province = Unit.objects.filter(depth=2).order_by("path").first()
    dept = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    city_dept = dept["bench_city_dept"]
    city = city_dept.unit

    # 1. One city's publication, through the button's service (follow-ups queued to Redis, not run).
    quarter = Quarter.objects.get(unit=city, code=CODE)
    _reset(quarter)
    quarter.refresh_from_db()
    queue = redis.Redis.from_url(os.environ["BENCH_CELERY_BROKER_URL"])
    queue.flushdb()
    with CaptureQueriesContext(connection) as captured, common.timer() as elapsed:
        quarter_publish(quarter=quarter, user=city_dept)
    figures["publish_city_s"] = round(elapsed(), 3)
    figures["publish_city_queries"] = len(captured.captured_queries)
    figures["publish_city_rows"] = BoardEntry.objects.filter(quarter=quarter).count()
    queue.flushdb()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # 2. The roll-up pages: headquarters (every unit), a province.
    client = Client()
    client.force_login(dept["bench_hq_dept"])
    for name, unit in (("hq", hq), ("province", province)):
        seconds, queries = _get(client, f"/rollup/{unit.pk}/{CODE}/")
        figures[f"rollup_{name}_page_ms"] = round(seconds * 1000, 1)
        figures[f"rollup_{name}_page_queries"] = queries
        seconds, queries = _get(client, f"/rollup/{unit.pk}/{CODE}/screen/")
        figures[f"rollup_{name}_screen_ms"] = round(seconds * 1000, 1)
        figures[f"rollup_{name}_screen_queries"] = queries
    # Headquarters' page filtered (units needing attention, a name) and its last page of units.
    for label, query in (("attention", "?state=attention&q=%E5%85%AC%E5%8F%B8"), ("last_page", "?page=31")):
        seconds, queries = _get(client, f"/rollup/{hq.pk}/{CODE}/{query}")
        figures[f"rollup_hq_{label}_ms"] = round(seconds * 1000, 1)
        figures[f"rollup_hq_{label}_queries"] = queries
    figures["rollup_target_ms"] = 500

    # 3. The city's published board: what its page computes (boards.selectors.board_page, compared
    # with the same call on a single-company database of the city's size), then the page itself.
    from boards.selectors import board_page

    quarter.refresh_from_db()
    seconds, queries = _call(lambda: [s.rows for s in board_page(quarter)])
    figures["city_board_page_selector_ms"] = round(seconds * 1000, 2)
    figures["city_board_page_selector_queries"] = queries
    client.force_login(city_dept)
    try:
        seconds, queries = _get(client, board_url(city.pk, CODE))
        figures["city_board_page_ms"] = round(seconds * 1000, 1)
        figures["city_board_page_queries"] = queries
    except Exception as exc:  # reported, not hidden: the other figures still count
        figures["city_board_page_error"] = f"{type(exc).__name__}: {exc}"[:200]
    figures["city_board_branches"] = figures["publish_city_rows"]

    # 4. Access checks, at the top and at the bottom of the tree.
    county = dept["bench_county_dept"].unit
    for label, user, target in (
        ("hq_to_county", dept["bench_hq_dept"], county),
        ("city_to_city", city_dept, city),
        ("county_to_hq_refused", dept["bench_county_dept"], hq),
    ):
        user = User.objects.select_related("unit").get(pk=user.pk)

        def check(user=user, target=target):
            try:
                rollup_access.unit_for_rollup(user, target.pk)
            except Exception:
                pass

        seconds, queries = _call(check)
        figures[f"access_rollup_{label}_us"] = round(seconds * 1e6, 1)
        figures[f"access_rollup_{label}_queries"] = queries
    figures["loadavg_after"] = " ".join(open("/proc/loadavg").read().split()[:3])
    common.record("units_measure", BRANCHES, **figures)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate"]:
        generate()
    elif argv[:1] == ["measure"]:
        measure()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

"""Server time, query count and HTML size of the points dashboard (党支部积分看板) and the leadership
overview (党委总览) on the published quarter: the dashboard alone, with one branch's trend, the
branch search (the page without script, and the lookup the search box asks), and the overview.
Requests go through Django's full stack in-process (middleware, sessions, templates; DEBUG off), as
in bench/pages.py: the median of 7 requests after one warm-up (the sums over published quarters are
then kept, dashboards.selectors.cache); the first visit with nothing kept is printed too. The two
workbooks are measured by bench.export_memory, each in a fresh process (time and peak memory).

    python -m bench.dashboards        (after bench.generate N and bench.publish)
"""

from __future__ import annotations

import statistics
import time

from bench import common

REPEAT = 7


def measure(client, url: str) -> tuple[float, int, int]:
    """(median seconds, queries, bytes of the response) of GET url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries), len(response.content)


def main() -> None:
    common.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from boards.models import BoardEntry
    from branches.models import User
    from scoring.models import Quarter

    n = common.branch_count()
    common.print_machine(f"dashboards, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    if not quarter.is_published:
        raise SystemExit("the benchmark quarter is not published: run python -m bench.publish first")
    entry = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED).order_by("branch_id").first()
    dept = User.objects.get(username="bench_dept")
    client = Client()
    client.force_login(dept)
    pages = {
        "dashboard": "/boards/dashboard/",
        "dashboard_branch": f"/boards/dashboard/?branch={entry.branch_id}",
        "dashboard_search": "/boards/dashboard/?branch_q=类000007",
        "branch_lookup": "/boards/dashboard/branches/?q=类000007",
        "overview": f"/boards/dashboard/overview/?quarter={quarter.code}",
    }
    figures: dict[str, float | int] = {}
    from django.core.cache import cache

    # First visits after publication, before the sums over the published quarter are kept (the
    # process warmed up first: templates, URL resolver, connection). The overview's counts are
    # stored by publication (dashboards.models.OverviewFigures); "counted" is the same first visit
    # without them (a quarter published before they were stored): what every first reader paid.
    from dashboards.models import OverviewFigures
    from dashboards.services import overview_figures_store

    def first_visit(name: str) -> tuple[float, int]:
        assert client.get(pages[name]).status_code == 200
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            assert client.get(pages[name]).status_code == 200
            seconds = time.perf_counter() - start
        return round(seconds * 1000, 1), len(queries.captured_queries)

    # Three rounds, the two overviews side by side in each (the load moves), medians printed.
    stored = OverviewFigures.objects.filter(quarter=quarter).exists()
    visits: dict[str, list[tuple[float, int]]] = {
        "overview_first_counted": [],
        "overview_first": [],
        "dashboard_first": [],
    }
    for _round in range(3):
        OverviewFigures.objects.filter(quarter=quarter).delete()
        visits["overview_first_counted"].append(first_visit("overview"))
        if stored:
            overview_figures_store(quarter)
        visits["overview_first"].append(first_visit("overview"))
        visits["dashboard_first"].append(first_visit("dashboard"))
    for name, measured in visits.items():
        figures[f"{name}_ms"] = statistics.median(ms for ms, _q in measured)
        figures[f"{name}_queries"] = measured[-1][1]
        print(f"   {name}: {figures[f'{name}_ms']} ms, {measured[-1][1]} queries (median of 3)", flush=True)
    for name, url in pages.items():
        seconds, queries, size = measure(client, url)
        figures[f"{name}_ms"] = round(seconds * 1000, 1)
        figures[f"{name}_queries"] = queries
        figures[f"{name}_kb"] = round(size / 1024, 1)
        print(f"   {name}: {seconds * 1000:.1f} ms, {queries} queries, {size / 1024:.1f} KB  ({url})", flush=True)
    common.record("dashboards", n, **figures)


if __name__ == "__main__":
    main()

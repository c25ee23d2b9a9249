"""Server time and query count of the pages that must not grow with N: the board page (the
preview while the quarter is unpublished, the published board after), its search, a score sheet
and a group page. Requests go through Django's full stack in-process (middleware, sessions,
templates; DEBUG off); the median of 7 requests (3 for a page taking over a second) after one warm-up is printed.

    python -m bench.pages
"""

from __future__ import annotations

import statistics
import time

from bench import common

REPEAT = 7


def measure(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    repeat = REPEAT if time.perf_counter() - start < 1 else 3  # the preview at 50,000 takes seconds
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries)


def main() -> None:
    common.setup()
    from django.test import Client

    from branches.models import User
    from scoring.models import InspectionGroup, Quarter, ScoreSheet

    n = common.branch_count()
    common.print_machine(f"pages, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    dept = User.objects.get(username="bench_dept")
    group = InspectionGroup.objects.filter(quarter=quarter).order_by("pk").first()
    member = group.members.order_by("pk").first()
    sheet = ScoreSheet.objects.filter(group=group).order_by("pk").first()
    state = "published" if quarter.is_published else "preview"

    client = Client()
    client.force_login(dept)
    pages = {
        f"board_{state}": f"/boards/{quarter.code}/",
        f"board_{state}_search": f"/boards/{quarter.code}/?q=类000007",
    }
    figures = {}
    for name, url in pages.items():
        seconds, queries = measure(client, url)
        figures[f"{name}_ms"] = round(seconds * 1000, 1)
        figures[f"{name}_queries"] = queries
    if not quarter.is_published:
        client.force_login(member)
        for name, url in {
            "sheet": f"/scoring/sheets/{sheet.pk}/",
            "group": f"/scoring/groups/{group.pk}/",
        }.items():
            seconds, queries = measure(client, url)
            figures[f"{name}_ms"] = round(seconds * 1000, 1)
            figures[f"{name}_queries"] = queries
        figures["group_sheets"] = ScoreSheet.objects.filter(group=group).count()
    common.record(f"pages_{state}", n, **figures)


if __name__ == "__main__":
    main()

"""Server time and query count of the pages that must not grow with N: the board page (the
preview while the quarter is unpublished, the published board after), its search, the
publication desk (预览与发布), a branch's own page, a score sheet and a group page. Requests go
through Django's full stack in-process (middleware, sessions, templates; DEBUG off); the median of
7 requests (3 for a page taking over a second) after one warm-up is printed.

While the quarter is unpublished, the SQL floor of the whole board (bench.board_compute.FLOOR_SQL)
is timed just before each request of each live page (median of the same repetitions) and each
page's ratio to it printed (issue 20: the preview and the branch page within 1.5× of it at 50,000).

    python -m bench.pages
"""

from __future__ import annotations

import statistics
import time

from bench import common

REPEAT = 7


def measure(client, url: str, floor=None) -> tuple[float, int, float | None]:
    """The page's median time and query count; with `floor` (a callable), the floor is timed just
    before each request too, and its median returned: on a shared machine the load moves within
    seconds, so a ratio of the two is only fair when both are measured side by side."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    repeat = REPEAT if time.perf_counter() - start < 1 else 3  # the preview at 50,000 takes seconds
    times, floors = [], []
    for _ in range(repeat):
        if floor is not None:
            begin = time.perf_counter()
            floor()
            floors.append(time.perf_counter() - begin)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries.captured_queries), statistics.median(floors) if floors else None


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
    branch = _middle_branch(quarter)
    pages = {
        f"board_{state}": f"/boards/{quarter.code}/",
        f"board_{state}_search": f"/boards/{quarter.code}/?q=类000007",
        f"desk_{state}": f"/boards/{quarter.code}/preview/",
        f"branch_{state}": f"/boards/branch/{branch}/?quarter={quarter.code}",
    }
    figures = {}
    floor = None
    if not quarter.is_published:
        from bench.board_compute import floor_query

        floor_query(quarter.pk)  # warm the cache, as for the pages' warm-up request

        def floor():
            return floor_query(quarter.pk)

    for name, url in pages.items():
        live = floor is not None and not name.endswith("_search")
        seconds, queries, floor_s = measure(client, url, floor if live else None)
        figures[f"{name}_ms"] = round(seconds * 1000, 1)
        figures[f"{name}_queries"] = queries
        if floor_s is not None:
            figures[f"{name}_floor_ms"] = round(floor_s * 1000, 1)
            figures[f"{name}_to_floor"] = round(seconds / floor_s, 2)
    if not quarter.is_published:
        client.force_login(member)
        for name, url in {
            "sheet": f"/scoring/sheets/{sheet.pk}/",
            "group": f"/scoring/groups/{group.pk}/",
        }.items():
            seconds, queries, _floor = measure(client, url)
            figures[f"{name}_ms"] = round(seconds * 1000, 1)
            figures[f"{name}_queries"] = queries
        figures["group_sheets"] = ScoreSheet.objects.filter(group=group).count()
    common.record(f"pages_{state}", n, **figures)


def _middle_branch(quarter) -> int:
    """A category-Ⅰ branch from the middle of the list (neither board), the same one before and after publication."""
    from branches.models import Branch

    ids = list(Branch.objects.filter(is_active=True, category="1").order_by("pk").values_list("pk", flat=True))
    return ids[len(ids) // 2]


if __name__ == "__main__":
    main()

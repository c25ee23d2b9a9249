"""The severity report (检查组评分宽严度分析, issue 20): its computation as the worker runs it — the
scores loaded as arrays, the vectorised permutation tests — and the page's server time once a
result is stored. Prints the number of branches, sheets and groups, the computation (median of 3;
load and statistics apart), the worker's own run, and the page (median of 7 after a warm-up).

    python -m bench.generate 50000 && python -m bench.severity

bench/generate.py makes one group per ~500 branches of a category: 12 groups at 5,000, 102 at 50,000.
"""

from __future__ import annotations

import statistics
import time

from bench import common

REPEAT = 3
PAGE_REPEAT = 7


def median_seconds(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    common.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from branches.models import User
    from fairness.models import SeverityRun
    from fairness.selectors import severity_data
    from fairness.services import severity_run
    from fairness.statistics import severity_report
    from scoring.models import InspectionGroup, Quarter, ScoreSheet

    n = common.branch_count()
    common.print_machine(f"severity report, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    groups = InspectionGroup.objects.filter(quarter=quarter).count()
    sheets = ScoreSheet.objects.filter(quarter=quarter, status=ScoreSheet.Status.SUBMITTED).count()
    print(f"   {n} branches, {sheets} submitted sheets, {groups} inspection groups", flush=True)

    load_s, (data, codes, calibrated) = median_seconds(lambda: severity_data(quarter), REPEAT)
    stats_s, report = median_seconds(lambda: severity_report(data, codes, calibrated), REPEAT)
    pair_tests = sum(1 for f in report.figures if f.p is not None)
    print(
        f"   computation: load {load_s:.2f} s + statistics {stats_s:.2f} s = {load_s + stats_s:.2f} s "
        f"(groups compared {len(report.groups)}, indicators {len(report.indicators)}, "
        f"figures tested {pair_tests}, flagged {len(report.flagged)}, permutations {report.permutations})",
        flush=True,
    )

    # The worker's own path: the run row, its stages, the stored JSON.
    dept = User.objects.get(username="bench_dept")
    SeverityRun.objects.filter(quarter=quarter).delete()
    run = SeverityRun.objects.create(quarter=quarter, requested_by=dept)
    start = time.perf_counter()
    run = severity_run(run_id=run.pk)
    worker_s = time.perf_counter() - start
    assert run.status == SeverityRun.Status.DONE, run.error
    print(f"   worker run (task body, stored): {worker_s:.2f} s", flush=True)

    client = Client()
    client.force_login(dept)
    url = f"/boards/{quarter.code}/severity/"
    response = client.get(url)  # warm-up
    assert response.status_code == 200 and "比较了什么：" in response.content.decode(), response.status_code
    times = []
    for _ in range(PAGE_REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
    page_ms = statistics.median(times) * 1000
    print(
        f"   page with the stored result: {page_ms:.1f} ms, {len(queries.captured_queries)} queries, "
        f"{len(response.content) // 1024} KB",
        flush=True,
    )
    common.record(
        "severity",
        n,
        sheets=sheets,
        groups=groups,
        load_s=round(load_s, 3),
        statistics_s=round(stats_s, 3),
        computation_s=round(load_s + stats_s, 3),
        worker_run_s=round(worker_s, 3),
        page_ms=round(page_ms, 1),
        page_queries=len(queries.captured_queries),
        page_kb=len(response.content) // 1024,
    )


if __name__ == "__main__":
    main()

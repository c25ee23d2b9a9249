"""Every Excel export of a whole quarter as the export task builds it (reports.services.report_write):
time, rows and peak memory (RSS), each export in a fresh process of its own, so one export's
memory never hides in another's peak.

    python -m bench.export_memory

The score detail is measured twice: before publication (the live board, computed from the
database's sums) and after (read from the published snapshot). The quarter is published here when
it is not yet (its follow-ups are queued to the benchmarks' Redis database (common.BROKER) and dropped, except the
interviews' one, run here, so the rectification report has rows); a quarter published earlier is
put back to 评分中 first, so the preview can be measured again.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import common

TARGET_MB = 150
BROKER = common.BROKER
# (name shown, report kind, whether the quarter must be published first)
EXPORTS = (
    ("scores_preview", "scores", False),
    ("scores", "scores", True),
    ("board", "board", True),
    ("adjustments", "adjustments", True),
    ("rectification", "rectification", True),
    # The dashboards' workbooks, built by the same task (dashboards.exports): the whole table, and
    # the overview of the quarter.
    ("dashboard", "dashboard", True),
    ("overview", "overview", True),
)


def measure_one(kind: str) -> None:
    """In the child: one export, its figures printed as one JSON line."""
    common.setup()
    from reports.services import report_write
    from scoring.models import Quarter

    quarter = Quarter.objects.get(code=common.QUARTER)
    baseline = common.current_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / f"{kind}.xlsx"
        with common.timer() as elapsed:
            rows = report_write(kind=kind, quarter=quarter, destination=destination)
        size_mb = destination.stat().st_size / 1024 / 1024
    print(
        json.dumps(
            {
                "seconds": round(elapsed(), 2),
                "rows": rows,
                "file_mb": round(size_mb, 2),
                "rss_before_mb": round(baseline, 1),
                "peak_rss_mb": round(common.peak_rss_mb(), 1),
            }
        )
    )


def _set_published(published: bool) -> None:
    common.setup()
    import redis

    from bench.publish import reset
    from boards.services import quarter_publish
    from branches.models import User
    from interviews.services import interviews_create_for_quarter
    from scoring.models import Quarter

    quarter = Quarter.objects.get(code=common.QUARTER)
    if quarter.is_published == published:
        return
    if not published:
        reset(quarter)
        return
    queue = redis.Redis.from_url(BROKER)
    reset(quarter)  # what an interrupted earlier run may have left (its follow-up rows)
    quarter_publish(quarter=quarter, user=User.objects.get(username="bench_dept"))
    queue.flushdb()  # the follow-ups are not what is measured
    interviews_create_for_quarter(quarter=Quarter.objects.get(pk=quarter.pk))


def _child(*args: str) -> subprocess.CompletedProcess:
    env = common.bench_env()
    env["CELERY_BROKER_URL"] = BROKER
    return subprocess.run(
        [sys.executable, "-m", "bench.export_memory", *args],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", help="(internal) measure this one export in this process")
    parser.add_argument("--published", choices=("yes", "no"), help="(internal) publish or unpublish the quarter")
    parser.add_argument("--only", help="comma-separated names of the exports to measure (default: all)")
    args = parser.parse_args()
    if args.kind:
        measure_one(args.kind)
        return
    if args.published:
        os.environ["BENCH_CELERY_BROKER_URL"] = BROKER
        _set_published(args.published == "yes")
        return

    common.setup()
    n = common.branch_count()
    common.print_machine(f"export peak memory, N={n}, each export in a fresh process")
    wanted = set(args.only.split(",")) if args.only else None
    worst = 0.0
    for name, kind, published in EXPORTS:
        if wanted and name not in wanted:
            continue
        prepared = _child("--published", "yes" if published else "no")
        if prepared.returncode:
            sys.exit(f"could not {'publish' if published else 'unpublish'} the quarter:\n{prepared.stderr}")
        done = _child("--kind", kind)
        if done.returncode:
            sys.exit(f"export {name} failed:\n{done.stderr}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        worst = max(worst, figures["peak_rss_mb"])
        common.record(
            f"export_memory_{name}",
            n,
            **figures,
            growth_mb=round(figures["peak_rss_mb"] - figures["rss_before_mb"], 1),
            target_mb=TARGET_MB,
            met=figures["peak_rss_mb"] < TARGET_MB,
        )
        print(f"   ^ {name}", flush=True)
    print(f"   worst peak {worst:.1f} MB (target < {TARGET_MB} MB): {'met' if worst < TARGET_MB else 'NOT met'}")


if __name__ == "__main__":
    main()

"""The score-detail Excel export (评分明细) of a whole quarter, as the export task builds it
(reports.services.report_write, write-only openpyxl): time, rows, file size, and the process's
peak memory (RSS) — before the export and at its peak — in a fresh process.

    python -m bench.export_scores
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench import common

TARGET_MB = 300


def main() -> None:
    common.setup()
    from reports.models import ReportKind
    from reports.services import report_write
    from scoring.models import Quarter

    n = common.branch_count()
    common.print_machine(f"score-detail export, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    baseline = common.current_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        destination = Path(folder) / "scores.xlsx"
        with common.timer() as elapsed:
            rows = report_write(kind=ReportKind.SCORES, quarter=quarter, destination=destination)
        size_mb = destination.stat().st_size / 1024 / 1024
    peak = common.peak_rss_mb()
    common.record(
        "export_scores",
        n,
        seconds=round(elapsed(), 2),
        rows=rows,
        file_mb=round(size_mb, 1),
        rss_before_mb=round(baseline, 1),
        peak_rss_mb=round(peak, 1),
        growth_mb=round(peak - baseline, 1),
        target_mb=TARGET_MB,
        met=peak < TARGET_MB,
    )


if __name__ == "__main__":
    main()

"""Print var/bench/results.json as the Markdown tables of BENCHMARKS.md.

python -m bench.report
"""

from __future__ import annotations

import json

from bench import common

ROWS = [
    ("board_compute", "board_compute_s", "board_compute (s)"),
    ("board_compute", "sql_floor_s", "hand-written SQL floor (s)"),
    ("board_compute", "ratio", "ratio (target ≤ 2 at 50,000)"),
    ("publish", "seconds", "publish (s, target < 15)"),
    ("publish", "follow_up_star_ratings_store_s", "follow-up: star ratings (s)"),
    ("publish", "follow_up_interviews_create_for_quarter_s", "follow-up: interviews (s)"),
    ("publish", "follow_up_severity_report_store_s", "follow-up: severity report (s)"),
    ("pages_published", "board_published_ms", "board page, published (ms)"),
    ("pages_published", "board_published_queries", "board page queries"),
    ("pages_published", "board_published_search_ms", "board page, name search (ms)"),
    ("pages_preview", "board_preview_ms", "board page, preview (ms)"),
    ("pages_preview", "board_preview_queries", "preview queries"),
    ("pages_preview", "sheet_ms", "score sheet (ms)"),
    ("pages_preview", "sheet_queries", "score sheet queries"),
    ("pages_preview", "group_ms", "group page (ms)"),
    ("pages_preview", "group_queries", "group page queries"),
    ("pages_preview", "group_sheets", "branches on that group page"),
    ("sheet_load", "save_p50_ms", "save p50 (ms), 20 inspectors"),
    ("sheet_load", "save_p95_ms", "save p95 (ms)"),
    ("sheet_load", "requests_per_s", "throughput (requests/s)"),
    ("sheet_load", "saves_accepted", "saves accepted"),
    ("sheet_load", "saves_refused_stale", "saves refused as stale (409)"),
    ("sheet_load", "errors", "errors"),
    ("sheet_load", "lost_updates", "lost updates"),
    ("export_scores", "seconds", "score-detail export (s)"),
    ("export_scores", "peak_rss_mb", "export peak RSS (MB, target < 300)"),
    ("import_scores", "rows", "import rows"),
    ("import_scores", "seconds", "import (s, target < 30)"),
    ("import_scores", "peak_rss_mb", "import peak RSS (MB)"),
    ("generate", "seconds", "generating the data (s)"),
    ("generate", "scores", "score rows"),
]


def main() -> None:
    data = json.loads((common.RESULTS_DIR / "results.json").read_text())
    sizes = sorted(data, key=int)
    print("| measurement | " + " | ".join(f"N = {int(n):,}" for n in sizes) + " |")
    print("| --- |" + " ---: |" * len(sizes))
    for step, key, label in ROWS:
        cells = []
        for n in sizes:
            value = data[n].get(step, {}).get(key, "")
            cells.append(f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value))
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    print("| N | step | load average (1, 5, 15 min) at the end of the step | finished at (Asia/Shanghai) |")
    print("| --- | --- | --- | --- |")
    for n in sizes:
        for step, figures in data[n].items():
            print(f"| {int(n):,} | {step} | {figures.get('load', '')} | {figures.get('at', '')} |")


if __name__ == "__main__":
    main()

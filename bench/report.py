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
    ("export_memory_scores_preview", "seconds", "score-detail export (s)"),
    ("export_memory_scores_preview", "peak_rss_mb", "export peak RSS (MB, target < 300)"),
    ("import_scores", "rows", "import rows"),
    ("import_scores", "seconds", "import (s, target < 30)"),
    ("import_scores", "peak_rss_mb", "import peak RSS (MB)"),
    ("generate", "seconds", "generating the data (s)"),
    ("generate", "scores", "score rows"),
]


# Issue 20's table: (what, step, figure, target, the test at 50,000). A target of None is shown
# for reference (its row in issue 20 has no target of its own).
def _below(limit):
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v < limit


def _at_most(limit):
    return lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v <= limit


ISSUE_20 = [
    ("severity report, computed (s)", "severity", "computation_s", "≤ 10 s", _at_most(10)),
    ("severity report, worker run, stored (s)", "severity", "worker_run_s", None, None),
    ("severity page, stored result, in-process (ms)", "severity", "page_ms", None, None),
    ("severity page, stored result, queries", "severity", "page_queries", "flat", "flat"),
    (
        "severity page under gunicorn, stored result (ms)",
        "severity_page",
        "stored_ms",
        "HTTP 200 within the timeout",
        None,
    ),
    ("severity page under gunicorn, none stored (ms)", "severity_page", "none_stored_ms", "computes nothing", None),
    ("severity page under gunicorn: worker timeout (s), all HTTP 200", "severity_page", "timeout_s", "met", "met"),
    ("preview (unpublished), ms", "pages_preview", "board_preview_ms", None, None),
    ("preview ÷ SQL floor beside it", "pages_preview", "board_preview_to_floor", "≤ ×1.5", _at_most(1.5)),
    ("publication desk (unpublished) ÷ SQL floor", "pages_preview", "desk_preview_to_floor", "≤ ×1.5", _at_most(1.5)),
    ("branch page, unpublished quarter, ms", "pages_preview", "branch_preview_ms", None, None),
    ("branch page, unpublished ÷ SQL floor", "pages_preview", "branch_preview_to_floor", "≤ ×1.5", _at_most(1.5)),
    ("branch page, published (ms)", "pages_published", "branch_published_ms", "< 300 ms", _below(300)),
    ("published preview (desk, ms)", "pages_published", "desk_published_ms", "< 300 ms", _below(300)),
    ("board page, published (ms)", "pages_published", "board_published_ms", None, None),
    ("dashboard (ms)", "dashboards", "dashboard_ms", "< 300 ms", _below(300)),
    ("dashboard HTML (KB)", "dashboards", "dashboard_kb", "< 200 KB", _below(200)),
    ("dashboard, first visit (ms)", "dashboards", "dashboard_first_ms", "< 300 ms", _below(300)),
    ("dashboard with one branch (ms)", "dashboards", "dashboard_branch_ms", "< 300 ms", _below(300)),
    ("dashboard, name search without script (ms)", "dashboards", "dashboard_search_ms", "< 300 ms", _below(300)),
    ("leadership overview (ms)", "dashboards", "overview_ms", "< 300 ms", _below(300)),
    ("leadership overview, first visit (ms)", "dashboards", "overview_first_ms", "< 300 ms", _below(300)),
    ("overview, first visit, without the stored figures (ms)", "dashboards", "overview_first_counted_ms", None, None),
    ("dashboard Excel, in the worker (s)", "export_memory_dashboard", "seconds", "task queue", None),
    ("dashboard Excel, peak memory (MB)", "export_memory_dashboard", "peak_rss_mb", "< 150 MB", _below(150)),
    ("overview Excel, peak memory (MB)", "export_memory_overview", "peak_rss_mb", "< 150 MB", _below(150)),
    ("红蓝榜 export, peak memory (MB)", "export_memory_board", "peak_rss_mb", "< 150 MB", _below(150)),
    ("绩效加扣分 export, peak memory (MB)", "export_memory_adjustments", "peak_rss_mb", "< 150 MB, flat", "flat<150"),
    (
        "score-detail export, unpublished, peak (MB)",
        "export_memory_scores_preview",
        "peak_rss_mb",
        "< 150 MB",
        _below(150),
    ),
    ("score-detail export, published, peak (MB)", "export_memory_scores", "peak_rss_mb", "< 150 MB", _below(150)),
    ("整改进度 export, peak memory (MB)", "export_memory_rectification", "peak_rss_mb", "< 150 MB", _below(150)),
    ("follow-up: star ratings (s)", "publish", "follow_up_star_ratings_store_s", None, None),
    ("publication (s)", "publish", "seconds", "< 15 s", _below(15)),
]
SMALL, LARGE = "5000", "50000"


def _cell(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"
    return str(value)


def _verdict(check, small, large) -> str:
    if check is None:
        return ""
    if large is None:
        return "not measured"
    if check == "met":
        return "met" if large is True else "**not met**"
    numeric = isinstance(small, int | float) and isinstance(large, int | float) and small
    if check == "flat":
        return "met" if numeric and large / small <= 1.1 else "**not met**"
    if check == "flat<150":
        ok = numeric and large / small <= 1.1 and large < 150
        return "met" if ok else "**not met**"
    return "met" if check(large) else "**not met**"


def issue_20(data: dict) -> list[str]:
    """Issue 20's table: each row at 5,000 and 50,000, the growth, the target and whether 50,000 meets it."""
    small, large = data.get(SMALL, {}), data.get(LARGE, {})
    lines = [
        "| what | 5,000 | 50,000 | growth | target (at 50,000) | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, step, key, target, check in ISSUE_20:
        a, b = small.get(step, {}).get(key), large.get(step, {}).get(key)
        if key == "timeout_s":  # the row says whether every request got its page in time
            a, b = small.get(step, {}).get("met"), large.get(step, {}).get("met")
            shown = [
                f"{small.get(step, {}).get(key, '—')} s, {_cell(a)}",
                f"{large.get(step, {}).get(key, '—')} s, {_cell(b)}",
            ]
        else:
            shown = [_cell(a), _cell(b)]
        growth = ""
        if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and a:
            growth = f"×{b / a:.2f}"
        lines.append(f"| {label} | {shown[0]} | {shown[1]} | {growth} | {target or ''} | {_verdict(check, a, b)} |")
    lines += ["", "| step | load average at 5,000 | at 50,000 |", "| --- | --- | --- |"]
    steps = dict.fromkeys(step for _l, step, _k, _t, _c in ISSUE_20)
    for step in steps:
        lines.append(f"| {step} | {small.get(step, {}).get('load', '—')} | {large.get(step, {}).get('load', '—')} |")
    return lines


def main() -> None:
    data = json.loads((common.RESULTS_DIR / "results.json").read_text())
    print("\n".join(issue_20(data)))
    print()
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

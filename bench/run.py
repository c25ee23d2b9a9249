"""`make bench`: every measurement at N = 32, 5,000 and 50,000 (or the sizes given), each in its
own process, then a summary. Each size starts from a freshly generated database.

    python -m bench.run [--sizes 32,5000,50000]

The summary ends with issue 20's table (bench.report.issue_20).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench import common

# In this order: the board is previewed, loaded and imported before it is published (the load test
# puts its sheets back to 已提交 when it ends); the exports come last, each in a fresh process
# (bench.export_memory unpublishes the quarter for the live score detail and publishes it again).
STEPS = (
    "board_compute",
    "pages",
    "severity",
    "severity_page",
    "sheet_load",
    "import_scores",
    "publish",
    "pages",
    "dashboards",
    "export_memory",
)


def run(module: str, *args: str) -> bool:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args], cwd=common.ROOT, env=common.bench_env(), check=False
    )
    print(f"   ({module}: {time.perf_counter() - started:.1f} s wall, exit {result.returncode})", flush=True)
    return result.returncode == 0


def summary(sizes: list[int]) -> None:
    try:
        data = json.loads((common.RESULTS_DIR / "results.json").read_text())
    except (OSError, ValueError):
        return
    print("\n== summary")
    for n in sizes:
        results = data.get(str(n), {})
        compute = results.get("board_compute", {})
        publish = results.get("publish", {})
        load = results.get("sheet_load", {})
        export = results.get("export_memory_scores_preview", {})
        imported = results.get("import_scores", {})
        preview = results.get("pages_preview", {})
        published = results.get("pages_published", {})
        print(
            f"   N={n}: board_compute {compute.get('board_compute_s')} s vs SQL floor {compute.get('sql_floor_s')} s "
            f"(×{compute.get('ratio')}); publish {publish.get('seconds')} s; board page {published.get('board_published_ms')} ms "
            f"({published.get('board_published_queries')} queries), preview {preview.get('board_preview_ms')} ms; "
            f"sheet {preview.get('sheet_ms')} ms, group {preview.get('group_ms')} ms; saves p95 {load.get('save_p95_ms')} ms, "
            f"{load.get('requests_per_s')} req/s, errors {load.get('errors')}, lost {load.get('lost_updates')}; "
            f"export {export.get('seconds')} s peak {export.get('peak_rss_mb')} MB; "
            f"import {imported.get('rows')} rows {imported.get('seconds')} s peak {imported.get('peak_rss_mb')} MB"
        )
    small, large = data.get("32", {}).get("pages_published", {}), data.get("50000", {}).get("pages_published", {})
    if small.get("board_published_ms") and large.get("board_published_ms"):
        ratio = large["board_published_ms"] / small["board_published_ms"]
        print(f"   board page N=50000 / N=32: ×{ratio:.2f} (target ≤ 3)")
    if "5000" in data or "50000" in data:
        from bench.report import issue_20

        print("\n== issue 20 (5,000 → 50,000)")
        print("\n".join(issue_20(data)))


def _forget(sizes: list[int]) -> None:
    """Drop the figures of the sizes about to be measured, so none of an earlier run is summarised."""
    path = common.RESULTS_DIR / "results.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    for n in sizes:
        data.pop(str(n), None)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="32,5000,50000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.replace(" ", ",").split(",") if s]
    common.ensure_database()
    print(f"bench at revision {common.git_revision()} on {common.database_url().rsplit('/', 1)[-1]}", flush=True)
    failed = []
    _forget(sizes)
    for n in sizes:
        print(f"\n######## N = {n}", flush=True)
        if not run("generate", str(n)):
            failed.append(f"generate {n}")
            continue
        for step in STEPS:
            if not run(step):
                failed.append(f"{step} {n}")
    summary(sizes)
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()

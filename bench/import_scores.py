"""Importing a filled score template (reports.imports.scores_import, as 党建部): a file of
min(N, 5,000) branches with every indicator scored, built here in the template's format, into
the second quarter (2031Q2, emptied first so every run imports the same). Time, rows and the
process's peak memory (RSS) are printed.

    python -m bench.import_scores
"""

from __future__ import annotations

import io

from bench import common

ROWS = 5_000
TARGET_S = 30


def build_file(quarter, branches) -> io.BytesIO:
    """The offline template of reports.exports, filled in: a sheet per category."""
    from openpyxl import Workbook

    from reports.exports import TEMPLATE_MAX_LABEL, TEMPLATE_NAME_HEADER, sheet_name, template_schemes

    schemes = template_schemes(quarter)
    wb = Workbook(write_only=True)
    for category, indicators in schemes.items():
        ws = wb.create_sheet(sheet_name(category))
        ws.append([TEMPLATE_NAME_HEADER, *[i.name for i in indicators]])
        ws.append([TEMPLATE_MAX_LABEL, *[float(i.max_score) for i in indicators]])
        for k, (name, branch_category) in enumerate(branches):
            if branch_category == category:
                ws.append([name, *[float(i.max_score) - (k + j) % 5 * 0.5 for j, i in enumerate(indicators)]])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def main() -> None:
    common.setup()
    from branches.models import Branch, User
    from reports.imports import scores_import
    from scoring.models import Quarter, ScoreSheet

    n = common.branch_count()
    common.print_machine(f"score import, N={n}")
    quarter = Quarter.objects.get(code=common.IMPORT_QUARTER)
    ScoreSheet.objects.filter(quarter=quarter).delete()
    dept = User.objects.get(username="bench_dept")
    branches = list(Branch.objects.filter(is_active=True).order_by("pk").values_list("name", "category")[:ROWS])
    source = build_file(quarter, branches)
    baseline = common.current_rss_mb()
    with common.timer() as elapsed:
        result = scores_import(quarter=quarter, group=None, source=source, user=dept)
    seconds = elapsed()
    peak = common.peak_rss_mb()
    common.record(
        "import_scores",
        n,
        seconds=round(seconds, 2),
        rows=result.sheets,
        values=result.values,
        file_kb=round(len(source.getvalue()) / 1024),
        rss_before_mb=round(baseline, 1),
        peak_rss_mb=round(peak, 1),
        growth_mb=round(peak - baseline, 1),
        target_s=TARGET_S,
        met=seconds < TARGET_S,
    )


if __name__ == "__main__":
    main()

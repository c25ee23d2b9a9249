"""Every workbook the portal produces, written to files from the demo data (for the print and
LibreOffice checks, and for a human to convert and look at)."""

from __future__ import annotations

from pathlib import Path

from baiyin_eval.xlsx import save_atomically


def every_workbook(folder: Path) -> dict[str, Path]:
    """name → .xlsx path: the four reports, the score template (党建部's and a group's), the
    branch list, the dashboard (with a branch's trend) and the overview downloads."""
    from baiyin_eval.xlsx import build_workbook
    from branches.models import Branch
    from dashboards import selectors as dashboard
    from dashboards.exports import dashboard_label, dashboard_report, overview_report
    from reports.exports import branch_list_workbook, score_template
    from reports.services import report_write
    from scoring.models import InspectionGroup, Quarter

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    scoring = Quarter.objects.get(code="2019Q1")
    published = Quarter.objects.latest_published()
    files: dict[str, Path] = {}
    for kind, quarter in (
        ("scores", scoring),
        ("board", published),
        ("adjustments", published),
        ("rectification", published),
    ):
        files[kind] = folder / f"{kind}.xlsx"
        report_write(kind=kind, quarter=quarter, destination=files[kind])
    files["template"] = folder / "template.xlsx"
    save_atomically(score_template(scoring), files["template"])
    group = InspectionGroup.objects.filter(quarter=scoring).order_by("pk").first()
    if group is not None:
        files["template-group"] = folder / "template-group.xlsx"
        save_atomically(score_template(scoring, group), files["template-group"])
    files["branches"] = folder / "branches.xlsx"
    save_atomically(branch_list_workbook(), files["branches"])
    quarters = dashboard.published_quarters()
    branch = Branch.objects.select_related("unit").get(name="平川区供电公司党总支")
    files["dashboard"] = folder / "dashboard.xlsx"
    save_atomically(
        build_workbook(dashboard_report(quarters, branch=branch), dashboard_label(quarters)), files["dashboard"]
    )
    files["overview"] = folder / "overview.xlsx"
    save_atomically(build_workbook(overview_report(dashboard.overview(published)), published.label), files["overview"])
    return files


LONG_MEASURE = (
    "一是制定“三会一课”年度计划，明确每月主题党日内容；二是支部书记每季度讲党课不少于一次；"
    "三是建立会议记录台账，党建部每月抽查；四是对照问题清单逐项销号，限期完成。"
)
LONG_PROGRESS = "已完成年度计划制定，第一次主题党日已于本月开展，会议记录台账正在整理。\n下一步：逐项销号。"


SHORT_NEXT = "会议记录未归档"


def add_long_rectification(quarter) -> None:
    """Two rectification items of one interview, one after the other: the first's measure and
    progress wrap over several lines in their columns (the case that overlapped the next rows),
    the second is one short line (the row that was overlapped)."""
    from datetime import timedelta

    from django.utils import timezone

    from branches.models import Branch
    from interviews.models import Interview, RectificationItem

    branch = Branch.objects.get(name="平川区供电公司党总支")
    interview = Interview.objects.filter(quarter=quarter, branch=branch).first() or Interview.objects.create(
        quarter=quarter, branch=branch
    )
    deadline = timezone.localdate() - timedelta(days=1)
    RectificationItem.objects.create(
        interview=interview,
        description="“三会一课”落实不到位，支部党员大会未按期召开，党课记录缺失",
        measure=LONG_MEASURE,
        progress=LONG_PROGRESS,
        deadline=deadline,
        responsible="李强",
        position=900,
    )
    RectificationItem.objects.create(
        interview=interview, description=SHORT_NEXT, deadline=deadline, responsible="李强", position=901
    )

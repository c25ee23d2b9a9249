"""The dashboards' numbers as workbooks, in the reports app's house style (baiyin_eval.xlsx).

Built by the reports' export task like every report (a dashboard of 50,000 branches takes seconds):
the pages post to reports:export_create with kind "dashboard" or "overview" and their filters,
reports.services.report_write calls export_report here, and the download is the reports' own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from baiyin_eval.xlsx import TWO_DECIMALS, Column, ReportSpec, Row, SheetSpec
from boards.models import Board
from branches.models import Branch, Category
from dashboards import selectors as dashboard
from ratings.rules import stars_text
from ratings.selectors import yearly_ratings
from scoring.models import Quarter

DASHBOARD = "dashboard"  # reports.models.ReportKind's names for the two downloads
OVERVIEW = "overview"


def _board(board: str) -> str:
    return str(Board(board).label) if board else ""


def dashboard_label(quarters: list[Quarter]) -> str:
    """What the dashboard workbook's title says it covers: "2018年第3季度至2018年第4季度"."""
    if len(quarters) > 1:
        return _("%(first)s至%(last)s") % {"first": quarters[0].label, "last": quarters[-1].label}
    return quarters[0].label if quarters else ""


def dashboard_report(
    quarters: list[Quarter],
    *,
    category: str = "",
    unit_id: int | None = None,
    unit_name: str = "",
    branch: Branch | None = None,
) -> ReportSpec:
    # Streamed: a chunk of branches at a time as the sheet is written (50,000 rows held at once
    # were 120 MB); the progress bar's total is counted by the database.
    filters = {"category": category, "unit_id": unit_id, "unit_name": unit_name}
    branches = dashboard.latest_entries(quarters, **filters).count() if quarters else 0
    rows = dashboard.branch_rows(quarters, **filters)
    columns = [Column(_("党组织"), 28), Column(_("类别"), 8), Column(_("所属单位"), 24)]
    for quarter in quarters:
        columns += [
            Column(_("%(code)s总分") % {"code": quarter.code}, 10, TWO_DECIMALS),
            Column(_("%(code)s名次") % {"code": quarter.code}, 8),
            Column(_("%(code)s榜单") % {"code": quarter.code}, 8),
        ]
    columns.append(Column(_("星级"), 10))

    def table_rows():
        for row in rows:
            values: list[object] = [row.branch.name, str(Category(row.branch.category).label), row.branch.unit.name]
            for cell in row.cells:
                values += [cell.total, cell.rank, _board(cell.board)] if cell else [None, None, ""]
            values.append(stars_text(row.rating.stars) if row.rating else "")
            yield Row(values)

    means = dashboard.category_means(quarters)
    sheets = [
        SheetSpec(
            title=_("总分与名次"), heading=_("党支部积分看板"), columns=columns, rows=table_rows(), freeze_column=2
        ),
        SheetSpec(
            title=_("类别平均"),
            heading=_("各类别平均总分"),
            columns=[Column(_("季度"), 10)]
            + [Column(str(Category(c).label), 10, TWO_DECIMALS) for c in Category.values],
            rows=[Row([q.code] + [means[c][i] for c in Category.values]) for i, q in enumerate(quarters)],
        ),
    ]
    count = branches + len(quarters)
    if branch is not None and quarters:
        trend = dashboard.branch_trend(branch, quarters, means)
        sheets.append(
            SheetSpec(
                title=_("本组织走势"),
                heading=_("%(name)s 总分、本类平均与名次") % {"name": branch.name},
                columns=[
                    Column(_("季度"), 10),
                    Column(_("总分"), 10, TWO_DECIMALS),
                    Column(_("本类平均"), 10, TWO_DECIMALS),
                    Column(_("名次"), 8),
                    Column(_("参加排名数"), 10),
                    Column(_("榜单"), 8),
                ],
                rows=[
                    Row(
                        [p.quarter.code, p.total, p.category_mean, p.rank, p.ranked_count, _board(p.board)],
                        fill=p.board,
                    )
                    for p in trend.points
                ],
            )
        )
        sheets.append(
            SheetSpec(
                title=_("失分指标"),
                heading=_("%(name)s 失分最多的指标") % {"name": branch.name},
                columns=[
                    Column(_("编号"), 8),
                    Column(_("指标"), 28),
                    Column(_("失分次数"), 10),
                    Column(_("累计失分"), 10, TWO_DECIMALS),
                ],
                rows=[Row([r.code, r.name, r.branches, r.lost]) for r in trend.losses],
            )
        )
        ratings = yearly_ratings(branch.pk)
        sheets.append(
            SheetSpec(
                title=_("星级"),
                heading=_("%(name)s 星级党支部评定") % {"name": branch.name},
                columns=[
                    Column(_("年度"), 8),
                    Column(_("评定季度"), 10),
                    Column(_("星级"), 10),
                    Column(_("平均总分"), 10, TWO_DECIMALS),
                    Column(_("蓝榜次数"), 10),
                ],
                rows=[Row([r.year, r.quarter.code, stars_text(r.stars), r.average, r.blue_count]) for r in ratings],
            )
        )
        count += len(trend.points) + len(trend.losses) + len(ratings)
    return ReportSpec(sheets=sheets, row_count=count)


def overview_report(view: dashboard.Overview) -> ReportSpec:
    distribution = SheetSpec(
        title=_("总分分布"),
        heading=_("各类别总分分布"),
        columns=[Column(_("类别"), 10)]
        + [Column(label, 9) for label in view.bins]
        + [
            Column(_("参加排名"), 9),
            Column(_("平均"), 9, TWO_DECIMALS),
            Column(_("最低"), 9, TWO_DECIMALS),
            Column(_("最高"), 9, TWO_DECIMALS),
        ],
        rows=[Row([d.label, *d.counts, d.n, d.mean, d.low, d.high]) for d in view.distributions],
    )
    losses = SheetSpec(
        title=_("失分指标"),
        heading=_("失分最多的指标"),
        columns=[
            Column(_("编号"), 8),
            Column(_("指标"), 28),
            Column(_("失分的党组织数"), 12),
            Column(_("累计失分"), 10, TWO_DECIMALS),
            Column(_("平均失分"), 10, TWO_DECIMALS),
        ],
        rows=[Row([r.code, r.name, r.branches, r.lost, r.mean_lost]) for r in view.losses],
    )
    streaks = SheetSpec(
        title=_("连续蓝榜"),
        heading=_("连续两个季度及以上上蓝榜的党组织"),
        columns=[Column(_("党组织"), 28), Column(_("类别"), 8), Column(_("连续季度数"), 10)],
        rows=[
            Row([s.branch.name, str(Category(s.branch.category).label), s.quarters], fill="blue") for s in view.streaks
        ],
    )
    notes = []
    if view.open_items is not None:
        notes.append(_("未完成整改事项 %(n)s 项") % {"n": view.open_items})
    return ReportSpec(
        sheets=[distribution, losses, streaks],
        row_count=len(view.distributions) + len(view.losses) + len(view.streaks),
        notes=notes,
    )


# --- through the reports' export task ---------------------------------------------------------


def export_params(kind: str, data) -> dict:
    """The filters a dashboard download keeps from the page (a QueryDict or dict): what the task
    needs to build the same table. Anything else is dropped."""
    if kind != DASHBOARD:
        return {}
    params: dict[str, str] = {}
    category = str(data.get("category", ""))
    if category in Category.values:
        params["category"] = category
    for name in ("unit", "branch"):
        value = str(data.get(name, ""))
        if value.isdigit() and value != "0":
            params[name] = value
    unit_name = str(data.get("unit_q", "")).strip()[:100]
    if unit_name:
        params["unit_q"] = unit_name
    return params


def export_report(kind: str, quarter: Quarter, params: dict) -> tuple[ReportSpec, str]:
    """(the workbook, what its title says it covers) of a dashboard download. The dashboard covers
    the latest published quarters when it is built; the overview the quarter asked for.

    Both are of the job's quarter's evaluating unit — the requester's own, as on the page (the
    export form takes only the requester's unit's quarters, `Quarter.objects.run_by`): never
    another unit's quarters of the same codes, nor a branch of another unit named in `params`."""
    if kind == OVERVIEW:
        return overview_report(dashboard.overview(quarter)), quarter.label
    quarters = dashboard.published_quarters(unit=quarter.unit_id)
    branch_id = params.get("branch")
    branch = (
        Branch.objects.select_related("unit").filter(pk=int(branch_id), evaluating_unit_id=quarter.unit_id).first()
        if branch_id
        else None
    )
    report = dashboard_report(
        quarters,
        category=params.get("category", ""),
        unit_id=int(params["unit"]) if params.get("unit") else None,
        unit_name=params.get("unit_q", ""),
        branch=branch,
    )
    return report, dashboard_label(quarters)

"""The roll-up's workbook (红蓝榜汇总, issue 17): built by the export queue like every report, from
rollup.selectors — each unit of the subtree, the totals' distribution, the trend — and the view
that asks for it from the roll-up page."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baiyin_eval.health import queue_available
from baiyin_eval.xlsx import PERCENT, TWO_DECIMALS, Column, ReportSpec, Row, SheetSpec
from branches.models import CATEGORY_SYMBOLS, Category, Unit
from reports.models import ReportKind
from reports.services import export_job_create
from rollup import access as rollup_access
from rollup.links import rollup_url
from rollup.selectors import RollupNotFound, quarter_of_code, rollup_for, trend_for
from scoring.models import Quarter


def rollup_report(quarter: Quarter, params: dict) -> tuple[ReportSpec, str]:
    """(the workbook, what its title covers) of a roll-up export job: the unit in `params`, the
    code of the job's quarter (the quarter's own unit when `params` names none). Three sheets: 各单位 (a row per evaluating unit), 总分分布 (per
    category), 各季度趋势."""
    # A job asked for from the roll-up page names its unit; otherwise the quarter's own unit.
    unit = Unit.objects.get(pk=params["unit"]) if params.get("unit") else quarter.unit
    code = quarter.code
    rollup = rollup_for(unit, code)
    # The unit as its own published row names it (a unit renamed after publishing keeps its name here).
    unit_name = next((r.name for r in rollup.rows if r.unit_id == unit.pk), unit.name)
    trend = trend_for(unit)
    symbols = [CATEGORY_SYMBOLS[Category(c)] for c in Category.values]

    def unit_rows() -> Iterator[Row]:
        for r in rollup.rows:
            if not r.published:
                yield Row([r.name, _("未发布（%(status)s）") % {"status": r.status_label}, r.branches] + [None] * 12)
                continue
            means = [r.categories[c].mean if c in r.categories else None for c in Category.values]
            yield Row(
                [
                    r.name,
                    _("已发布"),
                    r.branches,
                    r.unscored,
                    "、".join(r.red),
                    "、".join(r.blue),
                    *means,
                    "、".join(r.repeat_blue),
                    r.items,
                    r.accepted,
                    _share(r.accepted, r.items),
                    r.overdue,
                    len(r.repeat_blue),
                ],
                fill="blue" if r.repeat_blue else "",
            )

    # The title names the roll-up's unit (not the installation's company) once, then what the sheet is.
    units = SheetSpec(
        title=_("各单位"),
        heading=_("各考评单位红蓝榜汇总"),
        company=unit_name,
        columns=[
            Column(_("单位"), 22),
            Column(_("发布状态"), 18),
            Column(_("党组织数"), 8),
            Column(_("未完成\n评分"), 8),
            Column(_("红榜"), 32),
            Column(_("蓝榜"), 32),
            *[Column(_("%(c)s类\n平均总分") % {"c": s}, 10, TWO_DECIMALS) for s in symbols],
            Column(_("连续两季度上蓝榜"), 24),
            Column(_("整改事项"), 8),
            Column(_("已验收"), 8),
            Column(_("整改完成率"), 9, PERCENT),
            Column(_("逾期事项"), 8),
            Column(_("连续\n蓝榜数"), 8),
        ],
        rows=unit_rows(),
        freeze_column=2,
    )
    distribution = SheetSpec(
        title=_("总分分布"),
        heading=_("已发布单位各类别总分分布"),
        company=unit_name,
        columns=[
            Column(_("类别"), 9),
            *[Column(b, 9) for b in rollup.bins],
            Column(_("参加排名"), 9),
            Column(_("平均总分"), 9, TWO_DECIMALS),
            Column(_("最低总分"), 9, TWO_DECIMALS),
            Column(_("最高总分"), 9, TWO_DECIMALS),
        ],
        rows=(Row([d.label, *d.counts, d.n, d.mean, d.low, d.high]) for d in rollup.distributions),
    )
    trends = SheetSpec(
        title=_("各季度趋势"),
        heading=_("各季度红蓝榜趋势"),
        company=unit_name,
        columns=[
            Column(_("季度"), 10),
            Column(_("建季度的单位"), 10),
            Column(_("已发布单位"), 10),
            Column(_("参加排名"), 10),
            Column(_("红榜"), 8),
            Column(_("蓝榜"), 8),
            *[Column(_("%(c)s类平均总分") % {"c": s}, 10, TWO_DECIMALS) for s in symbols],
            Column(_("整改完成率"), 10, PERCENT),
            Column(_("逾期事项"), 9),
        ],
        rows=(
            Row(
                [
                    t.code,
                    t.units,
                    t.published,
                    t.ranked,
                    t.red,
                    t.blue,
                    *[t.means.get(c) for c in Category.values],
                    _share(t.accepted, t.items),
                    t.overdue,
                ]
            )
            for t in trend
        ),
    )
    spec = ReportSpec(
        sheets=[units, distribution, trends], row_count=len(rollup.rows) + len(rollup.distributions) + len(trend)
    )
    return spec, _("%(code)s（各单位同一季度）") % {"code": code}


def _share(part: int, whole: int) -> float | None:
    """A completion rate as a fraction, printed as a percentage (None: no item)."""
    return part / whole if whole else None


@login_required
@require_POST
def rollup_export(request, unit: int, code: str):
    """Queue the roll-up's workbook for the unit (who may open the roll-up may export it)."""
    top = rollup_access.unit_for_rollup(request.user, unit)
    try:
        quarter = quarter_of_code(top, code)
    except RollupNotFound as exc:
        raise Http404(str(exc)) from exc
    if not queue_available():
        messages.error(
            request, _("报表队列暂不可用（后台任务服务无法连接），暂时不能生成报表。请稍后再试，或联系系统管理员。")
        )
        return redirect(rollup_url(top.pk, code))
    job = export_job_create(
        kind=ReportKind.ROLLUP, quarter=quarter, user=request.user, params={"unit": top.pk, "unit_name": top.name}
    )
    return redirect(job)

"""Reads for the reports pages and the home card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from branches import units as unit_tree
from branches.home import HomeCard
from branches.models import Unit
from reports import access
from reports.models import ExportJob, ReportKind
from scoring.models import Quarter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RECENT_JOBS = 10


@dataclass
class ExportChoice:
    kind: str
    label: StrOrPromise
    description: str
    available: bool
    reason: str = ""


# What a unit above may export of a unit's published quarter: the reports of the published board.
PUBLISHED_KINDS = (ReportKind.BOARD, ReportKind.ADJUSTMENTS)


def export_choices(quarter: Quarter, *, published_only: bool = False) -> list[ExportChoice]:
    """The four reports for a quarter; those of the published board wait for publication. For a
    unit below the user's (`published_only`), only the published board's."""
    unpublished = "" if quarter.is_published else _("红蓝榜发布后可导出。")
    choices = _choices(quarter, unpublished)
    return [c for c in choices if c.kind in PUBLISHED_KINDS] if published_only else choices


def published_below(user) -> list[tuple[Unit, list[Quarter]]]:
    """The published quarters of every evaluating unit below the user's own (in its subtree, its
    own unit's excluded), grouped by unit in tree order, newest first. One query."""
    home = unit_tree.home_unit(user)
    quarters = Quarter.objects.visible_to(user).published().select_related("unit")
    if home is not None:
        quarters = quarters.exclude(unit=home)
    grouped: dict[int, tuple[Unit, list[Quarter]]] = {}
    for quarter in quarters.order_by("unit__path", "-year", "-number"):
        grouped.setdefault(quarter.unit_id, (quarter.unit, []))[1].append(quarter)
    return list(grouped.values())


def _choices(quarter: Quarter, unpublished: str) -> list[ExportChoice]:
    return [
        ExportChoice(
            ReportKind.SCORES,
            ReportKind.SCORES.label,
            _("每类一张工作表：各党组织各项指标得分、总分、名次，红蓝榜着色。"),
            True,
        ),
        ExportChoice(
            ReportKind.BOARD,
            ReportKind.BOARD.label,
            _("已发布的红蓝榜及绩效加扣分，供通报会使用。"),
            quarter.is_published,
            unpublished,
        ),
        ExportChoice(
            ReportKind.ADJUSTMENTS,
            ReportKind.ADJUSTMENTS.label,
            _("供人力资源系统使用：党组织、季度、榜单、加扣分。"),
            quarter.is_published,
            unpublished,
        ),
        ExportChoice(
            ReportKind.RECTIFICATION,
            ReportKind.RECTIFICATION.label,
            _("每个整改事项的措施、时限、责任人、状态和是否逾期。"),
            True,
        ),
    ]


def recent_jobs(user) -> list[ExportJob]:
    return list(ExportJob.objects.filter(requested_by=user).select_related("quarter__unit")[:RECENT_JOBS])


def home_cards(user) -> list[HomeCard]:
    if not (access.can_export(user) or access.can_import_scores(user)):
        return []
    links = [(_("报表导出"), reverse("reports:index"))]
    if access.can_import_scores(user):
        links.append((_("导入评分"), reverse("reports:import_scores")))
    if access.can_import_branches(user):
        links.append((_("导入党组织名单"), reverse("reports:import_branches")))
    if access.can_import_units(user):
        links.append((_("导入单位名单"), reverse("reports:import_units")))
    return [
        HomeCard(
            title=_("Excel 报表"),
            lines=[_("导出评分明细、红蓝榜、绩效加扣分和整改进度；下载评分模板、导入线下评分。")],
            links=links,
            tone="success",
        )
    ]

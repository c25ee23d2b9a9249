"""Reads for the severity report (检查组评分宽严度分析) and the calibration branches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from branches.models import Branch, Category
from fairness.models import SeverityReportRecord
from fairness.report import SeverityReport, SheetInput
from fairness.statistics import severity_report
from scoring.models import CalibrationBranch, Indicator, Quarter, Score, ScoreSheet


def severity_inputs(quarter: Quarter) -> tuple[list[SheetInput], list[str], set[int]]:
    """Every group's submitted scores of the quarter (drafts count for nothing, as on the board), the indicator codes in scheme
    order, and the calibration branches. Three queries, whatever the number of branches."""
    indicators = list(
        Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id").values_list("id", "code")
    )
    code_of = dict(indicators)
    sheets: dict[int, dict] = {}
    scores: dict[int, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    rows = (
        Score.objects.filter(
            sheet__quarter=quarter,
            sheet__status=ScoreSheet.Status.SUBMITTED,
            sheet__group__isnull=False,
            value__isnull=False,
        )
        .order_by("sheet__group_id", "sheet__branch__category", "sheet__branch__name")
        .values_list(
            "sheet_id",
            "sheet__branch_id",
            "sheet__branch__name",
            "sheet__branch__category",
            "sheet__group__name",
            "indicator_id",
            "indicator__max_score",
            "value",
        )
    )
    for sheet_id, branch_id, name, category, group, indicator_id, maximum, value in rows.iterator(chunk_size=20_000):
        assert value is not None  # filtered on value__isnull=False
        sheets.setdefault(sheet_id, {"branch_id": branch_id, "name": name, "category": category, "group": group})
        scores[sheet_id][code_of[indicator_id]] = (value, maximum)
    inputs = [
        SheetInput(
            sheet_id=sheet_id,
            branch_id=s["branch_id"],
            branch_name=s["name"],
            category=s["category"],
            group=s["group"],
            scores=scores[sheet_id],
        )
        for sheet_id, s in sheets.items()
    ]
    calibrated = set(CalibrationBranch.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    return inputs, [code for _, code in indicators], calibrated


def severity_compute(quarter: Quarter) -> SeverityReport:
    sheets, codes, calibrated = severity_inputs(quarter)
    return severity_report(sheets, codes, calibrated)


@dataclass
class SeverityView:
    report: SeverityReport
    kept_at: datetime | None  # when it was kept with the published quarter; None = computed now
    indicator_names: dict[str, str]


def severity_for(quarter: Quarter) -> SeverityView:
    """The report kept with a published quarter, else (or before publication) computed now. The
    indicator names of a published quarter are those it was published with."""
    from boards.models import PublishedIndicator

    names = dict(
        (PublishedIndicator if quarter.is_published else Indicator)
        .objects.filter(quarter=quarter)
        .values_list("code", "name")
    )
    record = SeverityReportRecord.objects.filter(quarter=quarter).first() if quarter.is_published else None
    if record is not None:
        return SeverityView(SeverityReport.from_dict(record.data), record.created_at, names)
    return SeverityView(severity_compute(quarter), None, names)


def calibration_rows(quarter: Quarter) -> list[CalibrationBranch]:
    """The quarter's calibration branches, each with `.groups`: the names of the groups scoring it."""
    marked = list(
        CalibrationBranch.objects.filter(quarter=quarter)
        .select_related("branch", "created_by")
        .order_by("branch__category", "branch__name")
    )
    groups: dict[int, list[str]] = defaultdict(list)
    for branch_id, group in (
        ScoreSheet.objects.filter(quarter=quarter, branch__in=[m.branch_id for m in marked], group__isnull=False)
        .order_by("group_id")
        .values_list("branch_id", "group__name")
    ):
        groups[branch_id].append(group)
    for m in marked:
        m.groups = groups[m.branch_id]  # type: ignore[attr-defined]  # for the page only, not a field
    return marked


def calibration_choices(quarter: Quarter) -> list[tuple[int, str]]:
    """Active branches not yet calibration branches, for 党建部's form."""
    taken = CalibrationBranch.objects.filter(quarter=quarter).values("branch_id")
    return [
        (pk, f"{name}（{Category(category).label}）")
        for pk, name, category in Branch.objects.for_quarter(quarter)
        .exclude(pk__in=taken)
        .order_by("category", "name")
        .values_list("pk", "name", "category")
    ]

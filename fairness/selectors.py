"""Reads for the severity report (检查组评分宽严度分析) and the calibration branches."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np
from django.db import connection

from branches.models import Branch, Category
from fairness.models import SeverityReportRecord, SeverityRun
from fairness.report import SeverityReport
from fairness.statistics import SeverityData, severity_report
from scoring.models import CalibrationBranch, Indicator, InspectionGroup, Quarter, Score, ScoreSheet
from scoring.numbers import TENTH


def severity_data(quarter: Quarter) -> tuple[SeverityData, list[str], set[int]]:
    """Every group's submitted scores of the quarter as arrays (drafts count for nothing, as on the
    board), the indicator codes in scheme order, and the calibration branches. Four queries, whatever
    the number of branches; the scores arrive as plain numbers, not model instances or Decimals."""
    indicators = list(
        Indicator.objects.filter(quarter=quarter)
        .order_by("category", "position", "id")
        .values_list("id", "code", "max_score")
    )
    codes = list(dict.fromkeys(code for _, code, _ in indicators))
    column_of = {pk: codes.index(code) for pk, code, _ in indicators}
    maximum_of = {pk: maximum for pk, _, maximum in indicators}
    where = "sheet.quarter_id = %s AND sheet.status = %s AND sheet.group_id IS NOT NULL"
    params: list[int | str] = [quarter.pk, str(ScoreSheet.Status.SUBMITTED)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT sheet.id, sheet.branch_id, branch.name, branch.category, grp.name
            FROM {ScoreSheet._meta.db_table} AS sheet
            JOIN {Branch._meta.db_table} AS branch ON branch.id = sheet.branch_id
            JOIN {InspectionGroup._meta.db_table} AS grp ON grp.id = sheet.group_id
            WHERE {where} AND EXISTS (
                SELECT 1 FROM {Score._meta.db_table} AS score WHERE score.sheet_id = sheet.id AND score.value IS NOT NULL
            )
            ORDER BY sheet.group_id, branch.category, branch.name, sheet.id""",
            params,
        )
        sheets = cursor.fetchall()
        scores = _score_rows(
            cursor,
            f"""SELECT score.sheet_id, score.indicator_id, score.value
            FROM {Score._meta.db_table} AS score
            JOIN {ScoreSheet._meta.db_table} AS sheet ON sheet.id = score.sheet_id
            WHERE {where} AND score.value IS NOT NULL""",
            params,
        )
    sheet_ids = np.array([row[0] for row in sheets], dtype=np.int64)
    order = np.argsort(sheet_ids)
    row_of = order[np.searchsorted(sheet_ids[order], scores[:, 0].astype(np.int64))]
    lookup = np.zeros(max(column_of, default=0) + 1, dtype=np.int64)
    lookup[list(column_of)] = list(column_of.values())
    columns = lookup[scores[:, 1].astype(np.int64)]
    maximum_lookup = np.zeros(len(lookup))
    maximum_lookup[list(maximum_of)] = [float(m) for m in maximum_of.values()]
    score_maxima = maximum_lookup[scores[:, 1].astype(np.int64)]
    shape = (len(sheets), len(codes))
    values, maxima, ratios = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    values[row_of, columns] = scores[:, 2]
    maxima[row_of, columns] = score_maxima
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios[row_of, columns] = np.where(score_maxima > 0, scores[:, 2] / score_maxima, 0.0)

    def exact(i: int, j: int) -> tuple[Decimal, Decimal]:
        # float() first: numpy 2's repr of its own scalars is "np.float64(9.5)", not a number.
        return Decimal(repr(float(values[i, j]))).quantize(TENTH), Decimal(repr(float(maxima[i, j]))).quantize(TENTH)

    data = SeverityData(
        sheet_ids=sheet_ids,
        branch_ids=np.array([row[1] for row in sheets], dtype=np.int64),
        branch_names=[row[2] for row in sheets],
        categories=[row[3] for row in sheets],
        groups=[row[4] for row in sheets],
        codes=codes,
        ratios=ratios,
        exact=exact,
    )
    calibrated = set(CalibrationBranch.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    return data, [code for _, code, _ in indicators], calibrated


def _score_rows(cursor, sql: str, params: list[int | str]) -> np.ndarray:
    """(sheet id, indicator id, value) rows as one float array. On PostgreSQL through COPY, parsed
    by numpy: half the time of fetching half a million tuples into Python."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        cursor.cursor.copy_expert(
            f"COPY ({cursor.mogrify(sql, params).decode()}) TO STDOUT WITH (DELIMITER ' ')", buffer
        )
        text = buffer.getvalue()
        return np.fromstring(text, sep=" ").reshape(-1, 3) if text.strip() else np.zeros((0, 3))
    cursor.execute(sql, params)
    return np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 3)


def severity_compute(quarter: Quarter, *, progress: Callable[[str], None] | None = None) -> SeverityReport:
    """The report as the scores stand now (the worker's work: fairness.tasks). `progress` hears each
    stage's name as it starts."""
    if progress:
        progress("loading")
    data, codes, calibrated = severity_data(quarter)
    return severity_report(data, codes, calibrated, progress=progress)


@dataclass
class SeverityView:
    """What the severity page shows: a stored report (never one computed for the request), and the
    latest run, for its progress or its error."""

    report: SeverityReport | None
    kept_at: datetime | None  # kept with the published quarter
    computed_at: datetime | None  # computed by a run before publication
    run: SeverityRun | None  # the latest run
    indicator_names: dict[str, str]

    @property
    def in_progress(self) -> bool:
        return self.run is not None and not self.run.is_finished


def severity_for(quarter: Quarter) -> SeverityView:
    """The report kept with a published quarter, else the latest finished run's; the indicator
    names of a published quarter are those it was published with. Three or four small queries:
    names, the latest run, the kept report (published) and the latest finished run."""
    from boards.models import PublishedIndicator

    names = dict(
        (PublishedIndicator if quarter.is_published else Indicator)
        .objects.filter(quarter=quarter)
        .values_list("code", "name")
    )
    latest = SeverityRun.objects.filter(quarter=quarter).defer("data").order_by("-created_at", "-id").first()
    if quarter.is_published:
        record = SeverityReportRecord.objects.filter(quarter=quarter).first()
        if record is not None:
            return SeverityView(SeverityReport.from_dict(record.data), record.created_at, None, latest, names)
    done = (
        SeverityRun.objects.filter(quarter=quarter, status=SeverityRun.Status.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )
    if done is not None and done.data is not None:  # a finished run always has its data
        return SeverityView(SeverityReport.from_dict(done.data), None, done.finished_at, latest, names)
    return SeverityView(None, None, None, latest, names)


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


# Branches offered at once in the calibration form's list; beyond that 党建部 searches by name, so
# the page never lists every branch of a 50,000-branch organisation.
CALIBRATION_CHOICES_SHOWN = 200


def calibration_choices(
    quarter: Quarter, *, search: str = "", pk: int | None = None
) -> tuple[list[tuple[int, str]], bool]:
    """Active branches not yet calibration branches, for 党建部's form: (choices, complete). At most
    CALIBRATION_CHOICES_SHOWN, by category and name; `search` keeps the names containing it, `pk`
    only that branch (to validate a submitted form). `complete` is False when more branches match
    than are shown. One query."""
    taken = CalibrationBranch.objects.filter(quarter=quarter).values("branch_id")
    rows = Branch.objects.for_quarter(quarter).exclude(pk__in=taken)
    if pk is not None:
        rows = rows.filter(pk=pk)
    if search:
        rows = rows.filter(name__icontains=search)
    found = list(
        rows.order_by("category", "name").values_list("pk", "name", "category")[: CALIBRATION_CHOICES_SHOWN + 1]
    )
    choices = [(pk_, f"{name}（{Category(category).label}）") for pk_, name, category in found]
    return choices[:CALIBRATION_CHOICES_SHOWN], len(found) <= CALIBRATION_CHOICES_SHOWN

"""评分明细: a sheet per category, a row per branch, a column per indicator; and 扣分明细, every
problem recorded against a deduction item.

Memory stays flat whatever the number of branches: a published quarter's rows stream from its
snapshot (BoardEntry value tuples through a server-side cursor) and each chunk of SCORES_CHUNK
branches has its indicator scores loaded when its rows are written; before publication the live
board (without per-indicator scores) is computed a category at a time (branches are ranked within
their category only), each category when its sheet is written, and walked the same way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from baiyin_eval.xlsx import ONE_DECIMAL, TWO_DECIMALS, Column, ReportSpec, Row, SheetSpec
from boards.models import BoardEntry
from boards.ranking import indicator_score, round_cent
from boards.selectors import board_compute, group_scores, published_columns, published_scores
from branches.models import Branch, Category
from reports.exports.common import board_label, sheet_name
from scoring.models import Problem, Quarter
from scoring.selectors import scheme_for_category

SCORES_CHUNK = 1000  # branches whose scores are loaded at a time by the score-detail export


@dataclass(frozen=True, slots=True)
class _Line:
    """What a row of the score detail says about its branch, besides the indicator scores."""

    branch_id: int
    name: str
    status: str
    indicator_total: Decimal | None
    contribution: Decimal
    total: Decimal | None
    rank: int | None
    board: str
    note: str


def _chunks(lines: Iterable[_Line], size: int) -> Iterator[list[_Line]]:
    lines = iter(lines)
    while chunk := list(islice(lines, size)):
        yield chunk


def _live_score(scores, indicator):
    mean = indicator_score(scores.get(indicator.id, ()))
    return None if mean is None else round_cent(mean)


def _published_score(scores, indicator):
    return scores.get(indicator.id)


# Ranked rows first (by rank, then name), then the unscored, then the excluded (by name): the
# order the board shows them in.
_STATUS_ORDER = Case(
    When(status=BoardEntry.Status.RANKED, then=Value(0)),
    When(status=BoardEntry.Status.UNSCORED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_LINE_FIELDS = (
    "branch_id",
    "branch_name",
    "status",
    "indicator_total",
    "contribution",
    "total",
    "rank",
    "board",
    "note",
)


def _published_lines(quarter: Quarter, category: str) -> Iterator[_Line]:
    """One category of the published board, streamed: a query, read SCORES_CHUNK rows at a time."""
    entries = (
        BoardEntry.objects.filter(quarter=quarter, category=category)
        .order_by(_STATUS_ORDER, "rank", "branch_name")
        .values_list(*_LINE_FIELDS)
    )
    for values in entries.iterator(chunk_size=SCORES_CHUNK):
        yield _Line(*values)


def _live_lines(quarter: Quarter, category: str) -> Iterator[_Line]:
    """One category of the live board, computed when its sheet is written: only that category's
    results are alive at a time (a third of the quarter), not the whole board's."""
    for result in board_compute(quarter, category):
        for r in (*result.ranking, *result.unscored, *result.excluded):
            yield _Line(
                r.branch_id, r.name, r.status, r.indicator_total, r.contribution, r.total, r.rank, r.board, r.note
            )


def _state(line: _Line) -> str:
    if line.status == "ranked":
        return board_label(line.board)
    if line.status == "excluded":
        return _("不参加排名：%(reason)s") % {"reason": line.note}
    return _("未完成评分")


def scores_report(quarter: Quarter) -> ReportSpec:
    """A sheet per category: a row per branch, a column per indicator (the mean of the groups'
    scores), then subtotal, contribution, total, rank and board, red/blue rows filled.

    A published quarter is read from its snapshot alone (rows, columns and scores as published);
    before publication the board is computed from the database's sums."""
    if quarter.is_published:
        schemes = published_columns(quarter)
        lines_of = {c: (lambda c=c: _published_lines(quarter, c)) for c in Category.values}
        row_count = BoardEntry.objects.filter(quarter=quarter).count()
        load, score_of = published_scores, _published_score
    else:
        schemes = {c: scheme_for_category(quarter, c) for c in Category.values}
        lines_of = {c: (lambda c=c: _live_lines(quarter, c)) for c in Category.values}
        row_count = Branch.objects.for_quarter(quarter).count()  # the rows board_compute ranks
        load, score_of = group_scores, _live_score

    def rows(lines: Iterable[_Line], indicators) -> Iterator[Row]:
        for chunk in _chunks(lines, SCORES_CHUNK):
            chunk_scores = load(quarter, [line.branch_id for line in chunk])
            for line in chunk:
                scores = chunk_scores.get(line.branch_id, {})
                values: list[object] = [score_of(scores, indicator) for indicator in indicators]
                yield Row(
                    [line.rank, line.name, *values, line.indicator_total, line.contribution, line.total, _state(line)],
                    fill=line.board,
                )

    sheets = []
    for category, lines in lines_of.items():
        indicators = schemes[category]
        columns = [
            Column(_("名次"), 6),
            Column(_("组织名称"), 28),
            *[Column(f"{i.name}（{i.max_score}）", 11, TWO_DECIMALS) for i in indicators],
            Column(_("指标得分"), 10, TWO_DECIMALS),
            Column(_("贡献度积分"), 10, TWO_DECIMALS),
            Column(_("总分"), 10, TWO_DECIMALS),
            Column(_("榜单"), 16),
        ]
        sheets.append(
            SheetSpec(
                title=sheet_name(category),
                heading=_("%(category)s党组织评分明细") % {"category": sheet_name(category)},
                columns=columns,
                rows=rows(lines(), indicators),
                freeze_column=3,
            )
        )
    deductions = _deduction_sheet(quarter)
    if deductions is not None:
        sheets.append(deductions)
    return ReportSpec(sheets=sheets, row_count=row_count)


def _deduction_sheet(quarter: Quarter) -> SheetSpec | None:
    """扣分明细: every problem recorded against a deduction item (扣分标准), with what it deducted.
    Absent when the quarter has none (an indicator without deduction items is scored directly)."""
    problems = (
        Problem.objects.filter(sheet__quarter=quarter, deduction__isnull=False)
        .select_related("sheet__branch", "sheet__group", "indicator", "deduction")
        .order_by("sheet__branch__category", "sheet__branch__name", "indicator__category", "indicator__position", "id")
    )
    if not problems.exists():
        return None

    def rows() -> Iterator[Row]:
        for p in problems.iterator(chunk_size=2000):
            yield Row(
                [
                    sheet_name(p.sheet.branch.category),
                    p.sheet.branch.name,
                    p.sheet.group.name if p.sheet.group else _("党建部"),
                    f"{p.indicator.code} {p.indicator.name}",
                    p.deduction.description,
                    p.deduction.rule_text,
                    p.count if p.deduction.per_occurrence else None,
                    p.deducted,
                    p.description,
                ]
            )

    return SheetSpec(
        title=_("扣分明细"),
        heading=_("按扣分标准扣分明细"),
        columns=[
            Column(_("类别"), 6),
            Column(_("组织名称"), 28),
            Column(_("检查组"), 12),
            Column(_("指标"), 22),
            Column(_("扣分标准"), 28),
            Column(_("扣分规则"), 28),
            Column(_("发现处数"), 9),
            Column(_("扣分"), 8, ONE_DECIMAL),
            Column(_("问题描述"), 40),
        ],
        rows=rows(),
    )

"""The four reports, and the score template, as sheet specifications built from the database.

Each builder reads through the other apps' selectors in a fixed number of queries and returns a
`ReportSpec` whose rows are produced lazily, so the writer can report progress as it goes.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from baiyin_eval.xlsx import ONE_DECIMAL, TWO_DECIMALS, Column, ReportSpec, Row, SheetSpec
from boards.models import Board, BoardEntry
from boards.ranking import indicator_score, round_cent
from boards.selectors import board_compute, group_scores, published_board, published_columns, published_scores
from branches.models import CATEGORY_SYMBOLS, Branch, Category
from reports.models import ReportKind
from scoring.models import Indicator, InspectionGroup, Problem, Quarter, ScoreSheet
from scoring.selectors import scheme_for_category

SCORES_CHUNK = 1000  # branches whose scores are loaded at a time by the score-detail export


class ReportUnavailable(Exception):
    """The report cannot be built for this quarter (yet); the message says why, in Chinese."""


def _board_label(board: str) -> str:
    return str(Board(board).label) if board else ""


def sheet_name(category: str) -> str:
    """The tab of a category: Ⅰ类, Ⅱ类, Ⅲ类 (also the names the score import expects)."""
    return f"{CATEGORY_SYMBOLS[Category(category)]}类"


# --- 评分明细 ------------------------------------------------------------------------------------


def _live_score(scores, indicator):
    mean = indicator_score(scores.get(indicator.id, ()))
    return None if mean is None else round_cent(mean)


def _published_score(scores, indicator):
    return scores.get(indicator.id)


def scores_report(quarter: Quarter) -> ReportSpec:
    """A sheet per category: a row per branch, a column per indicator (the mean of the groups'
    scores), then subtotal, contribution, total, rank and board, red/blue rows filled.

    A published quarter is read from its snapshot alone (rows, columns and scores as published);
    before publication the board is computed from the database's sums."""
    # Each branch's indicator scores are loaded a chunk at a time as the rows are written: memory
    # stays flat whatever the number of branches.
    if quarter.is_published:
        categories = published_board(quarter)
        columns_of = published_columns(quarter)
        schemes = {c.category: columns_of[c.category] for c in categories}
        load, score_of = published_scores, _published_score
    else:
        categories = board_compute(quarter)
        schemes = {c.category: scheme_for_category(quarter, c.category) for c in categories}
        load, score_of = group_scores, _live_score

    def rows(result, indicators) -> Iterator[Row]:
        everyone = [*result.ranking, *result.unscored, *result.excluded]
        for start in range(0, len(everyone), SCORES_CHUNK):
            chunk = everyone[start : start + SCORES_CHUNK]
            chunk_scores = load(quarter, [r.branch_id for r in chunk])
            yield from _score_rows(chunk, chunk_scores, indicators)

    def _score_rows(chunk, chunk_scores, indicators) -> Iterator[Row]:
        for r in chunk:
            scores = chunk_scores.get(r.branch_id, {})
            values: list[object] = [score_of(scores, indicator) for indicator in indicators]
            if r.status == "ranked":
                state = _board_label(r.board)
            elif r.status == "excluded":
                state = _("不参加排名：%(reason)s") % {"reason": r.note}
            else:
                state = _("未完成评分")
            yield Row(
                [r.rank, r.name, *values, r.indicator_total, r.contribution, r.total, state],
                fill=r.board,
            )

    sheets = []
    for result in categories:
        indicators = schemes[result.category]
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
                title=sheet_name(result.category),
                heading=_("%(category)s党组织评分明细") % {"category": sheet_name(result.category)},
                columns=columns,
                rows=rows(result, indicators),
                freeze_column=3,
            )
        )
    deductions = _deduction_sheet(quarter)
    if deductions is not None:
        sheets.append(deductions)
    return ReportSpec(
        sheets=sheets, row_count=sum(len(c.ranking) + len(c.unscored) + len(c.excluded) for c in categories)
    )


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


# --- 红蓝榜（已发布） -----------------------------------------------------------------------------


def _published_entries(quarter: Quarter):
    if not quarter.is_published:
        raise ReportUnavailable(_("季度 %(code)s 的红蓝榜尚未发布。") % {"code": quarter.code})
    return BoardEntry.objects.filter(quarter=quarter).order_by(
        "category", F("rank").asc(nulls_last=True), "branch_name"
    )


def board_report(quarter: Quarter) -> ReportSpec:
    """The board as published, read from its frozen rows, with the performance adjustments."""
    entries = list(_published_entries(quarter))

    def rows() -> Iterator[Row]:
        for e in entries:
            note = e.note if e.status == BoardEntry.Status.RANKED else f"{e.get_status_display()} {e.note}".strip()
            yield Row(
                [
                    e.get_category_display(),
                    e.rank,
                    e.branch_name,
                    e.indicator_total,
                    e.contribution,
                    e.total,
                    _board_label(e.board),
                    e.adjustment if e.board else None,
                    note,
                ],
                fill=e.board,
            )

    columns = [
        Column(_("类别"), 8),
        Column(_("名次"), 6),
        Column(_("组织名称"), 30),
        Column(_("指标得分"), 11, TWO_DECIMALS),
        Column(_("贡献度积分"), 11, TWO_DECIMALS),
        Column(_("总分"), 11, TWO_DECIMALS),
        Column(_("榜单"), 8),
        Column(_("绩效加扣分"), 11, TWO_DECIMALS),
        Column(_("说明"), 30),
    ]
    sheet = SheetSpec(title=_("红蓝榜"), heading=_("基层党组织红蓝榜"), columns=columns, rows=rows(), freeze_column=4)
    return ReportSpec(sheets=[sheet], row_count=len(entries))


# --- 绩效加扣分（人力资源系统） -------------------------------------------------------------------


def adjustments_report(quarter: Quarter) -> ReportSpec:
    """One row per red/blue branch: the points the HR system adds to its monthly performance."""
    entries = [e for e in _published_entries(quarter) if e.board]

    def rows() -> Iterator[Row]:
        for e in entries:
            yield Row(
                [
                    e.branch_name,
                    e.unit_name,
                    e.get_category_display(),
                    quarter.code,
                    _board_label(e.board),
                    e.adjustment,
                ],
                fill=e.board,
            )

    columns = [
        Column(_("组织名称"), 30),
        Column(_("所属单位"), 24),
        Column(_("类别"), 8),
        Column(_("季度"), 10),
        Column(_("榜单"), 8),
        Column(_("绩效加扣分"), 12, TWO_DECIMALS),
    ]
    sheet = SheetSpec(title=_("绩效加扣分"), heading=_("月度绩效加扣分"), columns=columns, rows=rows(), freeze_column=2)
    return ReportSpec(sheets=[sheet], row_count=len(entries))


# --- 整改进度 --------------------------------------------------------------------------------------


def rectification_report(quarter: Quarter) -> ReportSpec:
    """Every rectification item of the quarter's interviews: measure, deadline, responsible
    person, status, overdue (overdue rows filled red). Branches appear by name and category as
    the quarter published them."""
    from interviews.models import RectificationItem

    items = list(
        RectificationItem.objects.filter(interview__quarter=quarter)
        .select_related("interview__branch")
        .order_by("interview__branch__category", "interview__branch__name", "position", "id")
    )
    published = {
        branch_id: (category, name)
        for branch_id, category, name in BoardEntry.objects.filter(
            quarter=quarter, branch_id__in={i.interview.branch_id for i in items}
        ).values_list("branch_id", "category", "branch_name")
    }

    def shown(item) -> tuple[str, str]:
        branch = item.interview.branch
        return published.get(branch.pk, (branch.category, branch.name))

    items.sort(key=lambda item: (*shown(item), item.position, item.id))
    today = timezone.localdate()

    def rows() -> Iterator[Row]:
        for number, item in enumerate(items, start=1):
            overdue = item.is_overdue(today)
            yield Row(
                [
                    number,
                    shown(item)[1],
                    item.description,
                    item.measure,
                    item.deadline.isoformat() if item.deadline else "",
                    item.responsible,
                    item.get_status_display(),
                    _("是") if overdue else _("否"),
                    item.progress,
                ],
                fill="red" if overdue else "",
            )

    columns = [
        Column(_("序号"), 6),
        Column(_("党组织"), 24),
        Column(_("问题"), 30),
        Column(_("整改措施"), 32),
        Column(_("完成时限"), 12),
        Column(_("责任人"), 10),
        Column(_("状态"), 9),
        Column(_("是否逾期"), 9),
        Column(_("整改进展"), 30),
    ]
    sheet = SheetSpec(title=_("整改进度"), heading=_("整改进度"), columns=columns, rows=rows(), freeze_column=3)
    return ReportSpec(sheets=[sheet], row_count=len(items))


BUILDERS = {
    ReportKind.SCORES: scores_report,
    ReportKind.BOARD: board_report,
    ReportKind.ADJUSTMENTS: adjustments_report,
    ReportKind.RECTIFICATION: rectification_report,
}


def build_report(kind: str, quarter: Quarter) -> ReportSpec:
    return BUILDERS[ReportKind(kind)](quarter)


# --- 评分模板 --------------------------------------------------------------------------------------

# The template is a file format: its labels are fixed, whatever the interface language.
TEMPLATE_NAME_HEADER = "组织名称"
TEMPLATE_MAX_LABEL = "满分"
FORM_ROW_HEIGHT = 22  # points: room to write a score by hand on the printed template


def template_branches(quarter: Quarter, group: InspectionGroup | None) -> dict[str, list[str]]:
    """category → branch names the template lists: every active branch for 党建部, the branches
    assigned to the group otherwise."""
    if group is None:
        rows = Branch.objects.filter(is_active=True).values_list("category", "name")
    else:
        rows = ScoreSheet.objects.filter(quarter=quarter, group=group).values_list("branch__category", "branch__name")
    out: dict[str, list[str]] = {c: [] for c in Category.values}
    for category, name in rows.order_by("branch__name" if group else "name"):
        out[category].append(name)
    return out


def template_schemes(quarter: Quarter) -> dict[str, list[Indicator]]:
    indicators = list(Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id"))
    # The same order as scoring.selectors.scheme_for_category, from one query.
    return {c: [i for i in indicators if i.category in ("", c)] for c in Category.values}


def score_template(quarter: Quarter, group: InspectionGroup | None = None):
    """The offline scoring template: a sheet per category (Ⅰ类, Ⅱ类, Ⅲ类); row 1 组织名称 and the
    indicator names in scheme order, row 2 满分 and the maxima, then a row per branch."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from baiyin_eval.xlsx import (
        BORDER,
        HEADER_FILL,
        WRAP,
        display_width,
        fit_row_height,
        header_row,
        print_setup,
        row_height,
        set_widths,
        text_cell,
    )

    schemes = template_schemes(quarter)
    branches = template_branches(quarter, group)
    wb = Workbook(write_only=True)
    for category in Category.values:
        ws = wb.create_sheet(sheet_name(category))
        indicators = schemes[category]
        ws.freeze_panes = "B3"
        # The names column as wide as the longest name (within reason; longer ones wrap), the
        # score columns narrow with their headers wrapped: the sheet fits one landscape page wide.
        longest = max((display_width(name) for name in branches[category]), default=0)
        widths = [min(max(24, longest + 2), 40), *[10] * len(indicators)]
        set_widths(ws, widths)
        print_setup(ws, widths, title_rows="1:2")
        last_row = len(branches[category]) + 2
        for index, indicator in enumerate(indicators, start=2):
            # Excel and WPS warn at once about a value out of range; the import checks again anyway.
            rule = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(indicator.max_score),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(_("得分超出范围")),
                error=str(_("请填写 0 到 %(max)s 之间的分数，最多一位小数。") % {"max": indicator.max_score}),
            )
            column = get_column_letter(index)
            rule.add(f"{column}3:{column}{max(last_row, 3)}")
            ws.data_validations.append(rule)  # write-only sheets lack add_data_validation()
        headers = [TEMPLATE_NAME_HEADER, *[i.name for i in indicators]]
        fit_row_height(ws, 1, zip(headers, widths, strict=True))
        ws.append(header_row(ws, headers))
        maxima = [text_cell(ws, TEMPLATE_MAX_LABEL)]
        for indicator in indicators:
            cell = WriteOnlyCell(ws, value=float(indicator.max_score))
            cell.number_format = ONE_DECIMAL
            cell.fill, cell.border = HEADER_FILL, BORDER
            maxima.append(cell)
        ws.append(maxima)
        for row_index, name in enumerate(branches[category], start=3):
            # Bordered empty score cells: the printed template is a form to fill in by hand.
            cell = text_cell(ws, name)
            cell.alignment, cell.border = WRAP, BORDER
            # At least a handwriting line high: the printed template is also a paper form.
            ws.row_dimensions[row_index].height = max(row_height([(name, widths[0])]) or 0, FORM_ROW_HEIGHT)
            ws.append([cell, *[_empty_cell(ws) for _indicator in indicators]])
    return wb


def _empty_cell(ws):
    from openpyxl.cell import WriteOnlyCell

    from baiyin_eval.xlsx import BORDER

    cell = WriteOnlyCell(ws, value=None)
    cell.border = BORDER
    return cell


def template_file_name(quarter: Quarter, group: InspectionGroup | None) -> str:
    who = group.name if group else _("党建部")
    return f"{quarter.code}-{who}-{_('评分模板')}.xlsx"


def branch_list_workbook():
    """Every party organisation in the branch-list import's own format (a starting point to edit)."""
    from openpyxl import Workbook

    from baiyin_eval.xlsx import header_row, print_setup, set_widths, text_cell
    from reports.imports import BRANCH_HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党组织名单")
    ws.freeze_panes = "A2"
    widths = (32, 8, 10, 28, 24)
    set_widths(ws, widths)
    print_setup(ws, widths, title_rows="1:1")
    order = ("name", "category", "kind", "parent", "unit")
    ws.append(header_row(ws, [BRANCH_HEADERS[key] for key in order]))
    rows = Branch.objects.order_by("category", "name").values_list(
        "name", "category", "kind", "parent__name", "unit__name"
    )
    for name, category, kind, parent, unit in rows.iterator(chunk_size=2000):
        ws.append(
            [
                text_cell(ws, name),
                CATEGORY_SYMBOLS[Category(category)],
                str(Branch.Kind(kind).label),
                text_cell(ws, parent) if parent else None,
                text_cell(ws, unit),
            ]
        )
    return wb

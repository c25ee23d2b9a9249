"""红蓝榜 and 绩效加扣分: the board as published, read from its frozen rows (BoardEntry).

Both stream plain value tuples from the database (`.iterator()`, a server-side cursor), never
model instances of the whole quarter: at 50,000 branches the board is 50,000 rows, and the HR
system's adjustments are the handful of red and blue ones, filtered in SQL."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, F, QuerySet, Window
from django.utils.translation import gettext as _

from baiyin_eval.xlsx import TWO_DECIMALS, Column, ReportSpec, Row, SheetSpec
from boards.models import BoardEntry
from branches.models import Category
from reports.exports.common import ReportUnavailable, board_label
from scoring.models import Quarter

ROWS_CHUNK = 2000  # board rows fetched from the server-side cursor at a time


def _published_entries(quarter: Quarter) -> QuerySet[BoardEntry]:
    if not quarter.is_published:
        raise ReportUnavailable(_("季度 %(code)s 的红蓝榜尚未发布。") % {"code": quarter.code})
    return BoardEntry.objects.filter(quarter=quarter).order_by(
        "category", F("rank").asc(nulls_last=True), "branch_name"
    )


def _entry_note(status: str, note: str) -> str:
    if status == BoardEntry.Status.RANKED:
        return note
    return f"{BoardEntry.Status(status).label} {note}".strip()


def board_report(quarter: Quarter) -> ReportSpec:
    """The board as published, read from its frozen rows, with the performance adjustments."""
    # One query: the rows, each carrying the number of rows (a window over the quarter) for the
    # progress bar, known once the first row arrives.
    entries = (
        _published_entries(quarter)
        .annotate(row_count=Window(Count("id")))
        .values_list(
            "category",
            "rank",
            "branch_name",
            "indicator_total",
            "contribution",
            "total",
            "board",
            "adjustment",
            "status",
            "note",
            "row_count",
        )
    )
    spec = ReportSpec(sheets=[], row_count=0)

    def rows() -> Iterator[Row]:
        for (
            category,
            rank,
            name,
            indicator_total,
            contribution,
            total,
            board,
            adjustment,
            status,
            note,
            count,
        ) in entries.iterator(chunk_size=ROWS_CHUNK):
            spec.row_count = count
            yield Row(
                [
                    str(Category(category).label),
                    rank,
                    name,
                    indicator_total,
                    contribution,
                    total,
                    board_label(board),
                    adjustment if board else None,
                    _entry_note(status, note),
                ],
                fill=board,
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
    spec.sheets.append(
        SheetSpec(title=_("红蓝榜"), heading=_("基层党组织红蓝榜"), columns=columns, rows=rows(), freeze_column=4)
    )
    return spec


def adjustments_report(quarter: Quarter) -> ReportSpec:
    """One row per red/blue branch: the points the HR system adds to its monthly performance."""
    # Only the red and blue rows leave the database: a few per category, whatever the quarter's size.
    entries = list(
        _published_entries(quarter)
        .exclude(board="")
        .values_list("branch_name", "unit_name", "category", "board", "adjustment")
    )

    def rows() -> Iterator[Row]:
        for name, unit_name, category, board, adjustment in entries:
            yield Row(
                [name, unit_name, str(Category(category).label), quarter.code, board_label(board), adjustment],
                fill=board,
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

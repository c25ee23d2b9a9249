"""Writing workbooks: the house style of every export and the atomic save.

Every workbook is built in openpyxl's write-only mode (memory stays flat however many rows) from
`SheetSpec`s: a title row naming the company, the quarter and the date; a header row frozen with
the title; column widths; two-decimal number formats; A4 landscape fitted to the page width.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TWO_DECIMALS = "0.00"
ONE_DECIMAL = "0.0"
# Text starting with one of these is a formula (or DDE) to Excel and friends.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

RED_FILL = PatternFill("solid", fgColor="F8D0D2")
BLUE_FILL = PatternFill("solid", fgColor="CFE0F5")
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

FILLS = {"red": RED_FILL, "blue": BLUE_FILL}


@dataclass
class Column:
    header: str
    width: float = 12
    number_format: str | None = None  # for numeric cells


@dataclass
class Row:
    values: Sequence[object]
    fill: str = ""  # "red" / "blue" / ""


@dataclass
class SheetSpec:
    title: str  # the sheet's tab name
    heading: str  # what the title row says after the company and quarter
    columns: Sequence[Column]
    rows: Iterable[Row]
    freeze_column: int = 1  # columns left of this stay visible when scrolling right (1 = none)


@dataclass
class ReportSpec:
    sheets: list[SheetSpec]
    row_count: int  # for the progress bar
    notes: list[str] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def text_cell(ws: Worksheet, text: str) -> WriteOnlyCell:
    """A cell that holds `text` as text, never as a formula, however it starts.

    The cell is typed as a string (so nothing is evaluated on opening) and carries the
    quote-prefix style (so Excel keeps it text even when someone edits the cell).
    """
    cell = WriteOnlyCell(ws, value=text)
    if is_formula_like(text):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _cell(ws: Worksheet, value: object, column: Column, fill: str, styles: dict) -> WriteOnlyCell:
    """A data cell. Styles are resolved once per combination and copied afterwards: assigning a
    border or fill makes openpyxl hash the style object, which dominates large exports."""
    if isinstance(value, str):
        formula_like = is_formula_like(value)
        cell = WriteOnlyCell(ws, value=value)
        if formula_like:
            cell.data_type = "s"
        key = ("text", formula_like, fill)
    else:
        if isinstance(value, Decimal):
            # Excel stores doubles; a Decimal with two places is exact enough and formatted below.
            value = float(value)
        cell = WriteOnlyCell(ws, value=value)
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        key = ("number", column.number_format if numeric else None, fill)
    style = styles.get(key)
    if style is not None:
        cell._style = copy(style)
        return cell
    if key[0] == "text":
        cell.alignment = WRAP
        cell.quotePrefix = key[1]
    elif key[1]:
        cell.number_format = key[1]
    cell.border = BORDER
    if fill:
        cell.fill = FILLS[fill]
    styles[key] = copy(cell._style)
    return cell


def title_text(quarter_label: str, heading: str, today=None) -> str:
    today = today or timezone.localdate()
    return _("%(company)s %(quarter)s %(heading)s（导出日期：%(date)s）") % {
        "company": settings.COMPANY_NAME,
        "quarter": quarter_label,
        "heading": heading,
        "date": today.isoformat(),
    }


def write_sheet(wb: Workbook, spec: SheetSpec, quarter_label: str, tick: Callable[[], None]) -> None:
    ws = wb.create_sheet(spec.title)
    # Everything about the sheet's layout must be set before the first row in write-only mode.
    ws.freeze_panes = f"{get_column_letter(spec.freeze_column)}3"
    for index, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    # The title spans the table, so it prints (and converts) on one line above it.
    ws.merged_cells.add(f"A1:{get_column_letter(len(spec.columns))}1")
    ws.row_dimensions[1].height = 24

    title = text_cell(ws, title_text(quarter_label, spec.heading))
    title.font = TITLE_FONT
    title.alignment = Alignment(horizontal="left", vertical="center")
    ws.append([title])
    headers = []
    for column in spec.columns:
        cell = text_cell(ws, column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        headers.append(cell)
    ws.append(headers)
    styles: dict = {}
    for row in spec.rows:
        ws.append(
            [_cell(ws, value, column, row.fill, styles) for value, column in zip(row.values, spec.columns, strict=True)]
        )
        tick()


def build_workbook(report: ReportSpec, quarter_label: str, tick: Callable[[], None] = lambda: None) -> Workbook:
    wb = Workbook(write_only=True)
    for sheet in report.sheets:
        write_sheet(wb, sheet, quarter_label, tick)
    return wb


def save_atomically(wb: Workbook, destination: Path) -> None:
    """Save under a temporary name in the destination's folder, then rename into place.

    A rename within one file system is atomic: readers see the old file, or no file, or the
    complete new one — never a half-written workbook.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=destination.parent, prefix=".part-", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(temp_name)
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, destination)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise

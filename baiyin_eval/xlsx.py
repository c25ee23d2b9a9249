"""Writing workbooks: the house style of every export, its print setup and the atomic save.

Every workbook is built in openpyxl's write-only mode (memory stays flat however many rows) from
`SheetSpec`s: a title row naming the company, the quarter and the date; a header row frozen with
the title; column widths; two-decimal number formats.

Every sheet of every workbook the portal writes (these reports, the score template, the branch
list) goes through `print_setup` and `fit_row_height`, so that it prints and converts the same
everywhere:
- A4, landscape when the columns are wider than a portrait page, scaled to the page width (never
  to its height), the header rows repeated on every page, page numbers in the footer;
- wrapped text only where a row is tall enough for it: Excel recomputes row heights on opening,
  LibreOffice and WPS keep what the file says, so each row carries the height its longest
  wrapped cell needs (estimated from the text's display width and the column width).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import unicodedata
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

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TWO_DECIMALS = "0.00"
PERCENT = "0%"
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
MIDDLE = Alignment(vertical="center")  # numbers: on the middle line of a row made tall by its text

FILLS = {"red": RED_FILL, "blue": BLUE_FILL}

# Column widths are in Excel's units (about one digit of the default 11-point font, ~2 mm).
# A4 is 210 mm wide, minus the margins ~170 mm in portrait and ~257 mm in landscape.
PORTRAIT_WIDTH = 85  # a sheet whose columns add up to more than this prints landscape
WIDE_CHAR = 2.1  # a Chinese character (or a full-width sign) takes about two digits' width
CELL_PADDING = 1.2  # width units lost to the cell's margins
LINE_HEIGHT = 16.5  # points per line of 11-point text (the CJK fonts' line height, larger than Calibri's)
ROW_PADDING = 4  # points above and below the text
HEADER_SIZE = 11  # the body font's size, against which the title's is scaled


def display_width(text: str) -> float:
    """The width of `text` on one line, in column-width units."""
    return sum(WIDE_CHAR if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` units wide (its own line breaks count)."""
    usable = max(width - CELL_PADDING, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def row_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """The height (points) a row needs so that none of its wrapped text cells overflows into the
    next row, given (value, column width) pairs; None when one line is enough."""
    lines = max((line_count(value, width) for value, width in cells if isinstance(value, str) and value), default=1)
    if lines <= 1:
        return None
    return lines * LINE_HEIGHT + ROW_PADDING


def fit_row_height(ws: Worksheet, row_index: int, cells: Iterable[tuple[object, float]]) -> None:
    """Give row `row_index` (not yet written) the height its wrapped text needs.

    Call it just before `ws.append` of that row: write-only sheets read the row's dimension when
    they write it; `forget_row_height` afterwards keeps large exports from holding one entry per
    row in memory."""
    height = row_height(cells)
    if height is not None:
        ws.row_dimensions[row_index].height = height


def forget_row_height(ws: Worksheet, row_index: int) -> None:
    ws.row_dimensions.pop(row_index, None)


def print_setup(ws: Worksheet, widths: Sequence[float], *, title_rows: str | None) -> None:
    """A4, landscape when the columns do not fit a portrait page, fitted to the page width (as
    many pages down as needed), `title_rows` ("1:2") repeated at the top of every page, and
    "第 n 页，共 m 页" in the footer. Must be called before the first row of a write-only sheet."""
    wide = sum(widths) > PORTRAIT_WIDTH
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = _("第 &P 页，共 &N 页")
    ws.oddFooter.center.size = 9


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def header_row(ws: Worksheet, texts: Sequence[str]) -> list[WriteOnlyCell]:
    """Bold, grey, centred, wrapped, bordered header cells (text, never formulas)."""
    cells = []
    for text in texts:
        cell = text_cell(ws, text)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, CENTER, BORDER
        cells.append(cell)
    return cells


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
    company: str = ""  # whom the title names first: the installation's company unless a unit is given


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
    else:
        cell.alignment = MIDDLE
        if key[1]:
            cell.number_format = key[1]
    cell.border = BORDER
    if fill:
        cell.fill = FILLS[fill]
    styles[key] = copy(cell._style)
    return cell


def title_text(quarter_label: str, heading: str, today=None, company: str = "") -> str:
    today = today or timezone.localdate()
    return _("%(company)s %(quarter)s %(heading)s（导出日期：%(date)s）") % {
        "company": company or settings.COMPANY_NAME,
        "quarter": quarter_label,
        "heading": heading,
        "date": today.isoformat(),
    }


def write_sheet(wb: Workbook, spec: SheetSpec, quarter_label: str, tick: Callable[[], None]) -> None:
    ws = wb.create_sheet(spec.title)
    widths = [column.width for column in spec.columns]
    # Everything about the sheet's layout must be set before the first row in write-only mode.
    ws.freeze_panes = f"{get_column_letter(spec.freeze_column)}3"
    set_widths(ws, widths)
    print_setup(ws, widths, title_rows="1:2")
    # The title spans the table, so it prints (and converts) on one line above it.
    ws.merged_cells.add(f"A1:{get_column_letter(len(spec.columns))}1")
    text = title_text(quarter_label, spec.heading, company=spec.company)
    # A narrow sheet's title wraps within the table's width rather than being cut at its edge.
    title_lines = line_count(text, sum(widths) * HEADER_SIZE / TITLE_FONT.size)
    ws.row_dimensions[1].height = max(24, title_lines * LINE_HEIGHT * TITLE_FONT.size / HEADER_SIZE + ROW_PADDING)

    title = text_cell(ws, text)
    title.font = TITLE_FONT
    title.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.append([title])
    headers = [column.header for column in spec.columns]
    fit_row_height(ws, 2, zip(headers, widths, strict=True))
    ws.append(header_row(ws, headers))
    styles: dict = {}
    for index, row in enumerate(spec.rows, start=3):
        fit_row_height(ws, index, zip(row.values, widths, strict=True))
        ws.append(
            [_cell(ws, value, column, row.fill, styles) for value, column in zip(row.values, spec.columns, strict=True)]
        )
        forget_row_height(ws, index)
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


# --- downloads -------------------------------------------------------------------------------------


def ascii_file_name(filename: str, default: str = "download") -> str:
    """An ASCII stand-in for `filename` (for the rare client that ignores `filename*`): the
    letters, digits, dots, dashes and underscores of the name, `default` when none is left."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    stem = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", stem)).strip("-._") or default
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix)
    return f"{stem}.{suffix}" if suffix else stem


def attachment_disposition(filename: str, fallback: str | None = None) -> str:
    """`Content-Disposition: attachment` naming the file in Chinese for every browser (RFC 5987
    `filename*`, UTF-8, percent-encoded) and in ASCII (`filename`) for clients that know no better."""
    from urllib.parse import quote

    ascii_name = ascii_file_name(fallback or filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(content: bytes, filename: str, fallback: str | None = None):
    """A finished workbook as a download named `filename` (Chinese welcome)."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename, fallback)
    return response

"""What every Excel import shares: the problems it reports, reading cells, and the one core that
reads a list sheet (a header row naming the columns, then a row per record).

Every import reads the whole file first and collects every problem (sheet, row, column, why — in
Chinese); if there is any, nothing is written. Files are opened through reports.safety (zip
checks, defusedxml, read-only streaming)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, TypeVar

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from reports.safety import UnsafeWorkbook, iter_rows, open_workbook, sheet_has_merged_cells

RowT = TypeVar("RowT")


@dataclass(frozen=True)
class ImportIssue:
    """One reason a file was refused. `row`/`column` are empty for problems of the whole file or sheet."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet and _("工作表“%(s)s”") % {"s": self.sheet}]
        if self.row:
            where.append(_("第 %(n)s 行") % {"n": self.row})
        if self.column:
            where.append(_("%(c)s 列") % {"c": self.column})
        place = " ".join(w for w in where if w)
        return f"{place}：{self.message}" if place else self.message


class ImportRejected(Exception):
    """The file was refused as a whole; `issues` lists every problem found. Nothing was written."""

    def __init__(self, issues: list[ImportIssue]):
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


def rejected_file(message: str) -> ImportRejected:
    return ImportRejected([ImportIssue("", None, "", message)])


def column_name(index: int, header: str = "") -> str:
    letter = get_column_letter(index)
    return f"{letter}（{header}）" if header else letter


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def formula_message() -> str:
    return _("单元格是公式，请改为直接填写数值（可复制后“选择性粘贴 → 数值”）。")


def merged_cells_message() -> str:
    return _("工作表含有合并单元格，请取消合并后再导入。")


def is_blank(cells: Iterable) -> bool:
    """A row with neither text nor a formula in any cell: skipped by every import."""
    cells = tuple(cells)
    return not any(cell_text(c.value) for c in cells) and not any(is_formula(c) for c in cells)


def cells_by_key(
    title: str, number: int, cells, positions: dict[str, int], headers: dict[str, str], issues: list[ImportIssue]
) -> tuple[dict[str, str], bool]:
    """The text of each column of a list row, by key; a formula is a problem (and its key left out).
    Returns (values, ok)."""
    values: dict[str, str] = {}
    ok = True
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        if cell is not None and is_formula(cell):
            issues.append(ImportIssue(title, number, column_name(index + 1, headers[key]), formula_message()))
            ok = False
            continue
        values[key] = cell_text(cell.value if cell is not None else None)
    return values, ok


ReadRow = Callable[[str, int, tuple, dict[str, int], list[ImportIssue]], RowT | None]
CheckRows = Callable[[str, list[RowT], dict[str, int], list[ImportIssue]], None]


def list_read(
    *,
    source: IO[bytes],
    headers: dict[str, str],
    required: tuple[str, ...],
    missing_headers: Callable[[str], str],
    read_row: ReadRow,
    check_rows: CheckRows,
    empty: str,
) -> list[RowT]:
    """Read a list sheet (the first of the file): the header row maps `headers`' texts to keys
    (their columns in any order, `required` ones present); each non-blank row goes through
    `read_row`, the whole list then through `check_rows`. Raises ImportRejected with every problem,
    or the `empty` message when no row is left. Writes nothing."""
    issues: list[ImportIssue] = []
    parsed: list[RowT] = []
    try:
        with open_workbook(source) as wb:
            ws = wb.worksheets[0]
            title = ws.title
            if sheet_has_merged_cells(source, ws._worksheet_path):
                raise ImportRejected([ImportIssue(title, None, "", merged_cells_message())])
            rows = iter_rows(ws)
            header_cells = next(rows, (1, ()))[1]
            keys = {text: key for key, text in headers.items()}
            positions: dict[str, int] = {}
            for index, cell in enumerate(header_cells):
                key = keys.get(cell_text(cell.value))
                if key and key not in positions:
                    positions[key] = index
            missing = [headers[k] for k in required if k not in positions]
            if missing:
                raise ImportRejected([ImportIssue(title, 1, "", missing_headers("、".join(missing)))])
            for number, cells in rows:
                if is_blank(cells):
                    continue
                row = read_row(title, number, cells, positions, issues)
                if row is not None:
                    parsed.append(row)
    except UnsafeWorkbook as exc:
        raise rejected_file(str(exc)) from exc
    check_rows(title, parsed, positions, issues)
    if issues:
        raise ImportRejected(issues)
    if not parsed:
        raise rejected_file(empty)
    return parsed

"""Helpers for the spreadsheet tests: publishing a board without the boards UI, and workbooks in memory."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from boards.models import BoardEntry
from boards.selectors import board_compute
from scoring.models import Quarter


def publish(quarter: Quarter) -> Quarter:
    """Freeze the live board into BoardEntry rows and mark the quarter published, as publication does."""
    rows = []
    for category in board_compute(quarter):
        for result in [*category.ranking, *category.unscored, *category.excluded]:
            rows.append(
                BoardEntry(
                    quarter=quarter,
                    branch_id=result.branch_id,
                    category=result.category,
                    status=result.status,
                    indicator_total=result.indicator_total,
                    contribution=result.contribution,
                    total=result.total,
                    rank=result.rank,
                    board=result.board,
                    adjustment=result.adjustment,
                    note=result.note,
                )
            )
    BoardEntry.objects.bulk_create(rows)
    Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.PUBLISHED)
    quarter.refresh_from_db()
    return quarter


def dec(value) -> Decimal | None:
    """A cell's number as a Decimal with two places (None for an empty cell)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def reopen(path_or_bytes):
    if isinstance(path_or_bytes, bytes | bytearray):
        path_or_bytes = io.BytesIO(path_or_bytes)
    return load_workbook(path_or_bytes)


def workbook_bytes(wb) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "upload.xlsx"
    return buffer


@pytest.fixture
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    return tmp_path / "reports"

"""Helpers for the spreadsheet tests: publishing a board without the boards UI, and workbooks in memory."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from scoring.models import Quarter


def publish(quarter: Quarter) -> Quarter:
    """Publish the quarter's board through the board's own service (it writes the BoardEntry rows)."""
    from boards.services import quarter_publish
    from branches import roles
    from branches.models import User

    dept = User.objects.filter(groups__name=roles.DEPT).first()
    return quarter_publish(quarter=quarter, user=dept)


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

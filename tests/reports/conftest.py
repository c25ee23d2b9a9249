"""Helpers for the spreadsheet tests: publishing a board without the boards UI, and workbooks in memory."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
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


@pytest.fixture
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    return tmp_path / "reports"


def forget_producer_pool() -> None:
    """Drop the Celery app's cached connection and producer pools.

    Celery ≥ 5.4 acquires a producer even for eager tasks, and the app caches its pools: after the
    shared Redis worker fixture stops, the cached pools are closed (or bound to the other broker),
    and the next task queued in this process fails with "Acquire on closed pool".
    """
    from kombu import pools

    from baiyin_eval.celery import app

    pools.reset()  # kombu keeps producer pools per broker URL, process-wide
    app._pool = None
    app.amqp._producer_pool = None

"""The dashboard workbook streams its table (issue 20: every export's peak memory under 150 MB at
50,000 branches): the rows are read a chunk of branches at a time while the sheet is written,
never held all at once; the progress total is counted by the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import selectors as dashboard
from dashboards.exports import dashboard_report

pytestmark = pytest.mark.django_db


def test_the_table_is_read_while_the_sheet_is_written(demo):
    quarters = dashboard.published_quarters()
    with CaptureQueriesContext(connection) as built:
        spec = dashboard_report(quarters)
    table = spec.sheets[0].rows
    assert isinstance(table, Iterator), "the table's rows are a generator, not a list held in memory"
    before_writing = len(built.captured_queries)
    with CaptureQueriesContext(connection) as written:
        rows = list(table)
    # the branches, their cells and their star ratings are read as the rows are asked for
    assert len(written.captured_queries) >= 3, "the table was read before the sheet was written"
    assert before_writing < 10
    expected = list(dashboard.branch_rows(quarters))
    assert len(rows) == len(expected) > 0
    assert spec.row_count == len(rows) + len(quarters)  # the progress total, counted in SQL
    assert [r.values[0] for r in rows] == [r.branch.name for r in expected]

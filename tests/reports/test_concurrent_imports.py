"""Two imports of the same file at once (PostgreSQL): serialised on the quarter row, written once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from reports.exports import score_template
from reports.imports import ImportRejected, scores_import
from scoring.models import Quarter, Score, ScoreChange, ScoreSheet
from scoring.services import quarter_create, quarter_transition
from tests.reports.helpers import workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_imports_of_one_file_write_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    from django.core.management import call_command
    from openpyxl import load_workbook

    call_command("seed_demo", "--company-only", verbosity=0)
    quarter = quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)
    wb = load_workbook(workbook_bytes(score_template(quarter)))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3):
            for cell in row[1:]:
                cell.value = 3
    data = workbook_bytes(wb).getvalue()
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        import io

        try:
            barrier.wait(timeout=10)
            result = scores_import(quarter=quarter, group=None, source=io.BytesIO(data))
            outcomes.append(result.changes)
        except ImportRejected as exc:
            outcomes.append(exc.issues)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    cells = Score.objects.filter(sheet__quarter=quarter).count()
    assert sorted(outcomes) == [0, cells]  # the second found everything already in place
    assert ScoreSheet.objects.filter(quarter=quarter, group=None).count() == 32
    assert ScoreChange.objects.filter(sheet__quarter=quarter).count() == cells

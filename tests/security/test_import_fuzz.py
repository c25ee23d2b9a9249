"""The score import against random workbooks (hypothesis): the template filled with anything a
spreadsheet can hold, rows shuffled, branch names mangled. Every file is either imported whole —
each stored value a valid score — or refused whole with reasons in Chinese and nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from reports.exports import score_template
from reports.imports import ImportRejected, scores_import
from scoring.models import Indicator, Quarter, Score, ScoreChange, ScoreSheet
from scoring.scores import score_error
from scoring.services import quarter_create, quarter_transition
from tests.reports.helpers import workbook_bytes
from tests.security.test_properties import cell_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_quarter(demo):
    return quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)


def snapshot():
    return (
        sorted(Score.objects.values_list("sheet_id", "indicator_id", "value")),
        sorted(ScoreSheet.objects.values_list("id", "status", "version")),
        ScoreChange.objects.count(),
    )


# Mostly plausible scores in the score area, sometimes anything anywhere (headers and names too).
plausible = st.one_of(st.integers(0, 40).map(lambda n: n / 10), st.none(), st.just("  "))
edits = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 2), st.integers(3, 14), st.integers(2, 12), plausible),
        st.tuples(st.integers(0, 2), st.integers(1, 40), st.integers(1, 30), cell_values),
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits, valid_share=st.sampled_from(["0.5", "0.8", "1"]))
def test_a_random_workbook_is_imported_whole_or_refused_whole(offline_quarter, edits, valid_share):
    wb = load_workbook(workbook_bytes(score_template(offline_quarter)))
    for ws in wb.worksheets:  # start from a correctly filled template, then damage it at random
        maxima = [c.value for c in ws[2]][1:]
        for row in ws.iter_rows(min_row=3):
            for index, maximum in enumerate(maxima, start=1):
                if maximum is not None:
                    row[index].value = float(Decimal(str(maximum)) * Decimal(valid_share))
    for sheet_index, row, column, value in edits:
        ws = wb.worksheets[sheet_index % len(wb.worksheets)]
        cell = ws.cell(row=row, column=column)
        try:
            cell.value = value
        except (ValueError, IllegalCharacterError):
            # A refused assignment can leave the cell half-changed (type "s" over a number), which
            # openpyxl then cannot save: a spreadsheet could never hold it, so clear the cell.
            cell.value = None
    with transaction.atomic():
        before = snapshot()
        try:
            scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb))
        except ImportRejected as rejected:
            event("refused")
            assert rejected.issues and all(issue.message for issue in rejected.issues)
            assert snapshot() == before
        else:
            event("imported")
            maxima = dict(Indicator.objects.values_list("pk", "max_score"))
            for _sheet, indicator_id, value in snapshot()[0]:
                if value is not None:
                    assert score_error(value, maxima[indicator_id]) is None
        transaction.set_rollback(True)

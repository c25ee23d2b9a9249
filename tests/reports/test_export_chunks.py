"""The score-detail export loads indicator scores a chunk of branches at a time (flat memory at
50,000 branches): the rows must not depend on the chunk size."""

from __future__ import annotations

import pytest

from reports.exports import scores as exports
from tests.boards.test_board_sums import awkward_quarter

pytestmark = pytest.mark.django_db


def rows(quarter) -> list[tuple]:
    spec = exports.scores_report(quarter)
    return [(sheet.title, tuple(row.values), row.fill) for sheet in spec.sheets for row in sheet.rows]


def test_the_score_detail_rows_do_not_depend_on_the_chunk_size(monkeypatch):
    quarter = awkward_quarter(4)
    whole = rows(quarter)
    monkeypatch.setattr(exports, "SCORES_CHUNK", 2)
    assert rows(quarter) == whole
    assert len(whole) == 44 and any(v is not None for _, values, _ in whole for v in values[2:-4])

"""Exports of a whole quarter stream (issue 20): the published board, the adjustments and the
published score detail read value tuples through server-side cursors, never a model instance per
row and never the whole quarter in one fetch, so their memory does not grow with the number of
branches (bench/export_memory.py measures it at 5,000 and 50,000: under 150 MB)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.query import QuerySet

from boards.models import BoardEntry, BoardScore, Exclusion
from boards.selectors import published_board
from branches.models import Branch
from reports.exports import board as board_export
from reports.exports import build_report
from reports.exports import scores as scores_export
from tests.reports.helpers import publish

pytestmark = pytest.mark.django_db


def rows_of(spec) -> list[tuple[str, tuple, str]]:
    return [(sheet.title, tuple(row.values), row.fill) for sheet in spec.sheets for row in sheet.rows]


@pytest.fixture
def published(demo):
    """The demo quarter published with an excluded branch besides the ranking (publication refuses
    unscored ones)."""
    quarter = demo.quarter
    Exclusion.objects.create(quarter=quarter, branch=Branch.objects.get(name="检修分公司党支部"), reason="机构调整")
    return publish(quarter)


@pytest.fixture
def no_instances(monkeypatch):
    """Building a model instance of a board row or score is refused: only value tuples may leave."""

    def refuse(cls, *args, **kwargs):
        raise AssertionError(f"a whole-quarter export built {cls.__name__} instances")

    for model in (BoardEntry, BoardScore):
        monkeypatch.setattr(model, "from_db", classmethod(refuse))


@pytest.fixture
def iterations(monkeypatch):
    """(model, chunk size) of every QuerySet.iterator() call: streamed through a server-side cursor."""
    calls: list[tuple[type, int | None]] = []
    real = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append((self.model, chunk_size))
        return real(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    return calls


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the embedded SQLite has no server-side cursors; CI runs PostgreSQL"
)
def test_the_database_streams_iterators_through_server_side_cursors():
    assert not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")


def test_the_board_export_streams_its_rows_in_chunks(published, no_instances, iterations, monkeypatch):
    monkeypatch.setattr(board_export, "ROWS_CHUNK", 3)
    spec = build_report("board", published)
    rows = rows_of(spec)
    assert len(rows) == BoardEntry.objects.filter(quarter=published).count() == spec.row_count
    assert (BoardEntry, 3) in iterations


def test_the_adjustments_leave_the_database_filtered(published, no_instances, django_assert_num_queries):
    # the red and blue rows of the quarter, nothing else
    with django_assert_num_queries(1):
        spec = build_report("adjustments", published)
    rows = rows_of(spec)
    assert rows and all(fill in ("red", "blue") for _title, _values, fill in rows)
    assert len(rows) == BoardEntry.objects.filter(quarter=published).exclude(board="").count()


def test_the_published_score_detail_streams_each_category_a_chunk_at_a_time(
    published, no_instances, iterations, monkeypatch
):
    monkeypatch.setattr(scores_export, "SCORES_CHUNK", 2)
    streamed = rows_of(build_report("scores", published))
    assert [model for model, size in iterations].count(BoardEntry) == 3  # one cursor per category
    assert all(size == 2 for model, size in iterations if model is BoardEntry)
    monkeypatch.setattr(scores_export, "SCORES_CHUNK", 1000)
    assert rows_of(build_report("scores", published)) == streamed


def test_the_published_score_detail_keeps_the_boards_order(published):
    """Ranked rows by rank then name, then the excluded: as the published board lists them."""
    spec = build_report("scores", published)
    shown = {sheet.title: [row.values[1] for row in sheet.rows] for sheet in spec.sheets}
    for category, sheet in zip(published_board(published), spec.sheets, strict=False):
        expected = [r.name for r in (*category.ranking, *category.unscored, *category.excluded)]
        assert shown[sheet.title] == expected
    first = shown["Ⅰ类"]
    assert first[-1] == "检修分公司党支部"


def test_the_live_score_detail_computes_one_category_at_a_time(demo, monkeypatch):
    """Before publication the board is computed per category as each sheet is written, so only a
    third of the quarter's results is ever alive (bench/: 121 MB at 50,000 instead of 177 MB)."""
    from boards.selectors import board_compute

    asked: list[str | None] = []

    def spy(quarter, category=None):
        asked.append(category)
        return board_compute(quarter, category)

    monkeypatch.setattr(scores_export, "board_compute", spy)
    spec = build_report("scores", demo.quarter)
    assert asked == []  # nothing computed before the rows are asked for
    shown = {sheet.title: [row.values[1] for row in sheet.rows] for sheet in spec.sheets}
    assert asked == ["1", "2", "3"]
    whole = board_compute(demo.quarter)
    for category, title in zip(whole, ("Ⅰ类", "Ⅱ类", "Ⅲ类"), strict=True):
        assert shown[title] == [r.name for r in (*category.ranking, *category.unscored, *category.excluded)]
    assert spec.row_count == sum(len(names) for names in shown.values())

"""The leadership overview's counts over a published quarter are stored by its publication
(dashboards.services.overview_figures_store, a part of quarter_publish's transaction): the first
reader after publication reads one row instead of PostgreSQL counting the quarter's published
scores, and what it reads equals what counting gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards import publication_parts
from dashboards.models import OverviewFigures
from dashboards.selectors import overview
from dashboards.selectors.overview import figures_decode, overview_figures
from scoring.models import Quarter

pytestmark = pytest.mark.django_db


def _stored(quarter):
    row = OverviewFigures.objects.get(quarter=quarter)
    return figures_decode(row.distributions, row.indicator_sums)


def test_publication_stores_the_overview_figures_equal_to_the_counted_ones(demo):
    published = list(Quarter.objects.published())
    assert published, "the demo publishes quarters through quarter_publish"
    for quarter in published:
        distributions, sums = _stored(quarter)
        counted_distributions, counted_sums = overview_figures(quarter)
        assert distributions == counted_distributions
        assert sums == counted_sums
        assert sum(d.n for d in distributions) > 0 and sums  # not trivially equal


def test_the_part_is_registered_with_publication():
    from dashboards.services import overview_figures_store

    assert publication_parts._PARTS["dashboards.overview"] is overview_figures_store


def test_the_first_reader_after_publication_counts_nothing(client, demo):
    """The page's first visit (nothing in the cache) reads the stored row: no query groups the
    published scores or the board rows of the quarter."""
    client.force_login(demo.users["lingdao"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/boards/dashboard/overview/?quarter=2018Q4")
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "boards_boardscore" in s], "the losses were counted by the reader"
    assert not [s for s in sql if "GROUP BY" in s and "boards_boardentry" in s], "the distribution was counted"
    assert any("dashboards_overviewfigures" in s for s in sql)


def test_a_quarter_without_stored_figures_is_counted_and_shows_the_same(client, demo):
    """A quarter published before the figures were stored: its first visit counts them, and the
    overview is the same as from the stored row."""
    quarter = Quarter.objects.get(code="2018Q4")
    from_stored = overview(quarter)
    OverviewFigures.objects.filter(quarter=quarter).delete()
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        counted = overview(quarter)
    assert any("boards_boardscore" in q["sql"] for q in queries.captured_queries)
    assert counted.distributions == from_stored.distributions
    assert counted.losses == from_stored.losses
    assert counted.ranked == from_stored.ranked

"""The data migration fills the publication snapshot of quarters published before it existed
(the demo's 2018Q3 and 2018Q4 on a database made before the snapshot): names and units from the
branches, the scheme from the quarter, the scores from the rows' own frozen `indicator_scores`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from boards.models import BoardEntry, BoardScore

BEFORE = ("boards", "0008_publication_snapshot")


def _snapshot() -> tuple[set, set]:
    entries = set(BoardEntry.objects.values_list("quarter__code", "branch_id", "branch_name", "unit_name", "category"))
    scores = set(
        BoardScore.objects.values_list("quarter__code", "branch_id", "indicator__code", "indicator__name", "value")
    )
    return entries, scores


def _migrate(target=None) -> MigrationExecutor:
    """Migrate to `target`, or forward to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_snapshot_of_quarters_published_before_it(demo):
    expected = _snapshot()
    assert {code for code, *_ in expected[0]} == {"2018Q3", "2018Q4"}
    assert expected[1]

    # Back to a database without the snapshot: the scores live in each row's JSON only.
    executor = _migrate(BEFORE)
    old = executor.loader.project_state([BEFORE]).apps
    assert not old.get_model("boards", "BoardScore").objects.exists()
    assert old.get_model("boards", "BoardEntry").objects.exclude(indicator_scores={}).exists()
    old.get_model("boards", "BoardEntry").objects.update(branch_name="", unit=None, unit_name="")

    _migrate()
    assert _snapshot() == expected

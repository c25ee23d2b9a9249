"""Issue 16 moved StarLevel and StarRating from boards to ratings, and SeverityReportRecord from
scoring to fairness, with SeparateDatabaseAndState: on a database made before the move, the rows
stay where they are and read through the new apps; follow-up jobs written before the move keep
their names and are registered by the new apps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from boards import followups
from boards.models import FollowUp
from fairness.models import SeverityReportRecord
from ratings.models import StarLevel, StarRating
from tests import factories

BEFORE = [
    ("boards", "0012_board_score_keys_unconstrained"),
    ("scoring", "0005_deductions_and_copied_from"),
    ("ratings", None),
    ("fairness", None),
]


def _migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_read_through_the_new_apps():
    quarter = factories.QuarterFactory(code="2019Q1")
    branch = factories.BranchFactory(name="星级支部")

    executor = _migrate(BEFORE)
    old = executor.loader.project_state([t for t in BEFORE if t[1]]).apps
    old.get_model("boards", "StarLevel").objects.create(stars=5, min_average=Decimal("96.00"), no_blue=True)
    old.get_model("boards", "StarRating").objects.create(
        quarter_id=quarter.pk, branch_id=branch.pk, year=2019, stars=4, average=Decimal("93.50"), rule=[[5, "96", True]]
    )
    old.get_model("scoring", "SeverityReportRecord").objects.create(quarter_id=quarter.pk, data={"groups": ["甲组"]})
    for name in ("boards.star_services.star_ratings_store", "boards.fairness_services.severity_report_store"):
        old.get_model("boards", "FollowUp").objects.create(quarter_id=quarter.pk, name=name)

    _migrate()
    assert StarLevel._meta.db_table == "boards_starlevel"
    assert StarRating._meta.db_table == "boards_starrating"
    assert SeverityReportRecord._meta.db_table == "scoring_severityreportrecord"
    assert StarLevel.objects.get().min_average == Decimal("96.00")
    rating = StarRating.objects.get()
    assert (rating.quarter_id, rating.branch_id, rating.stars, rating.average) == (
        quarter.pk,
        branch.pk,
        4,
        Decimal("93.50"),
    )
    assert SeverityReportRecord.objects.get(quarter=quarter).data == {"groups": ["甲组"]}
    # Jobs keep their names (boards.followups); ratings and fairness register them.
    assert sorted(followups.follow_up_label(name) for name in FollowUp.objects.values_list("name", flat=True)) == [
        "星级党支部评定",
        "评分宽严情况报告",
    ]

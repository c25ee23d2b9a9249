"""scoring.services.sheets_save_scores: sheet_save for a whole spreadsheet import at once — the
same checks and history, in a fixed number of queries (plus the audit record of each sheet)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches import roles
from branches.models import Category
from scoring.models import Score, ScoreChange, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import ScoreEntry, SheetLocked, StaleSheet, sheet_save, sheets_save_scores
from tests import factories
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(db):
    return factories.QuarterFactory(code="2033Q1", status="scoring")


@pytest.fixture
def dept(db):
    return make_user(roles.DEPT, username="dept_bulk", name="党建部")


def sheets(quarter, n: int, category=Category.II) -> list[ScoreSheet]:
    return [
        ScoreSheet.objects.create(
            quarter=quarter, branch=factories.BranchFactory(name=f"批量党支部{k}", category=category)
        )
        for k in range(n)
    ]


def entries_for(quarter, category, fraction: str, note: str = "") -> dict[int, ScoreEntry]:
    return {
        i.pk: ScoreEntry(
            value=(i.max_score * Decimal(fraction)).quantize(Decimal("0.1")), methods=("records",), note=note
        )
        for i in scheme_for_category(quarter, category)
    }


def history(sheet) -> list[tuple]:
    return list(
        ScoreChange.objects.filter(sheet=sheet)
        .order_by("indicator_id", "field")
        .values_list("indicator_id", "field", "old", "new", "version", "user_id")
    )


def test_it_writes_what_sheet_save_writes(quarter, dept):
    one, two = sheets(quarter, 2)
    for fraction, note in (("0.8", ""), ("0.9", "复核")):  # create, then change values and notes
        entries = entries_for(quarter, Category.II, fraction, note)
        sheet_save(sheet=one, actor=dept, base_version=ScoreSheet.objects.get(pk=one.pk).version, entries=entries)
        sheets_save_scores(
            quarter=quarter,
            actor=dept,
            entries={two.pk: entries},
            base_versions={two.pk: ScoreSheet.objects.get(pk=two.pk).version},
        )
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.version == two.version == 2
    assert history(one) == history(two)
    values = lambda s: sorted(Score.objects.filter(sheet=s).values_list("indicator_id", "value", "methods", "note"))  # noqa: E731
    assert values(one) == values(two)


def test_an_unchanged_sheet_keeps_its_version(quarter, dept):
    (sheet,) = sheets(quarter, 1)
    entries = entries_for(quarter, Category.II, "0.8")
    sheets_save_scores(quarter=quarter, actor=dept, entries={sheet.pk: entries}, base_versions={sheet.pk: 0})
    changed = sheets_save_scores(quarter=quarter, actor=dept, entries={sheet.pk: entries}, base_versions={sheet.pk: 1})
    sheet.refresh_from_db()
    assert changed == {sheet.pk: 0} and sheet.version == 1


@pytest.mark.parametrize("problem", ["submitted", "stale", "out_of_range", "foreign_indicator"])
def test_one_bad_sheet_refuses_all_and_names_itself(quarter, dept, problem):
    good, bad = sheets(quarter, 2)
    entries = {good.pk: entries_for(quarter, Category.II, "0.8"), bad.pk: entries_for(quarter, Category.II, "0.8")}
    versions = {good.pk: 0, bad.pk: 0}
    expected = ValidationError
    if problem == "submitted":
        ScoreSheet.objects.filter(pk=bad.pk).update(status=ScoreSheet.Status.SUBMITTED)
        expected = SheetLocked
    elif problem == "stale":
        ScoreSheet.objects.filter(pk=bad.pk).update(version=3)
        expected = StaleSheet
    elif problem == "out_of_range":
        first = next(iter(entries[bad.pk]))
        entries[bad.pk][first] = ScoreEntry(value=Decimal("99"))
    else:
        other = scheme_for_category(quarter, Category.I)[-1]  # a Ⅰ-only indicator on a Ⅱ branch
        entries[bad.pk][other.pk] = ScoreEntry(value=Decimal("1"))
    with pytest.raises(expected) as caught:
        sheets_save_scores(quarter=quarter, actor=dept, entries=entries, base_versions=versions)
    assert caught.value.sheet_id == bad.pk
    assert not Score.objects.filter(sheet__in=[good, bad]).exists()
    assert not ScoreChange.objects.filter(sheet__in=[good, bad]).exists()


def test_its_queries_do_not_grow_with_the_number_of_sheets_beyond_the_audit_record(quarter, dept):
    def cost(n: int, prefix: str) -> int:
        created = [
            ScoreSheet.objects.create(
                quarter=quarter, branch=factories.BranchFactory(name=f"{prefix}{k}", category="3")
            )
            for k in range(n)
        ]
        entries = {s.pk: entries_for(quarter, "3", "0.7") for s in created}
        with CaptureQueriesContext(connection) as ctx:
            sheets_save_scores(quarter=quarter, actor=dept, entries=entries, base_versions={s.pk: 0 for s in created})
        audits = sum(1 for q in ctx.captured_queries if "audit" in q["sql"].lower() and "INSERT" in q["sql"])
        return len(ctx.captured_queries) - audits

    assert cost(2, "少") == cost(5, "多")  # (SQLite splits much larger inserts into batches)

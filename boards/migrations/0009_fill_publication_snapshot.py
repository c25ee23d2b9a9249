"""Fill the publication snapshot for quarters published before it existed (the demo's 2018Q3 and
2018Q4): the scheme as the quarter holds it (frozen since scoring opened), each board row's
per-indicator scores from the row's own frozen `indicator_scores`, and the branch's name and unit
as they are now — the nearest record there is of what they were at publication."""

from decimal import Decimal

from django.db import migrations


def fill(apps, schema_editor):
    Quarter = apps.get_model("scoring", "Quarter")
    Indicator = apps.get_model("scoring", "Indicator")
    BoardEntry = apps.get_model("boards", "BoardEntry")
    PublishedIndicator = apps.get_model("boards", "PublishedIndicator")
    BoardScore = apps.get_model("boards", "BoardScore")
    for quarter in Quarter.objects.filter(board_entries__isnull=False).distinct():
        if PublishedIndicator.objects.filter(quarter=quarter).exists():
            continue
        published = {}
        for indicator in Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id"):
            published[indicator.pk] = PublishedIndicator.objects.create(
                quarter=quarter,
                indicator=indicator,
                category=indicator.category,
                code=indicator.code,
                name=indicator.name,
                max_score=indicator.max_score,
                position=indicator.position,
            )
        scores = []
        entries = BoardEntry.objects.filter(quarter=quarter).select_related("branch__unit")
        for entry in entries.iterator(chunk_size=2000):
            entry.branch_name = entry.branch.name
            entry.unit_id = entry.branch.unit_id
            entry.unit_name = entry.branch.unit.name
            entry.save(update_fields=["branch_name", "unit", "unit_name"])
            for key, value in (entry.indicator_scores or {}).items():
                indicator = published.get(int(key))
                if indicator is not None:
                    scores.append(
                        BoardScore(quarter=quarter, branch_id=entry.branch_id, indicator=indicator, value=Decimal(value))
                    )
            if len(scores) >= 10_000:
                BoardScore.objects.bulk_create(scores)
                scores = []
        BoardScore.objects.bulk_create(scores)


def unfill(apps, schema_editor):
    """Put the scores back into the rows' `indicator_scores`, keyed by the live indicator's id."""
    BoardEntry = apps.get_model("boards", "BoardEntry")
    BoardScore = apps.get_model("boards", "BoardScore")
    rows = {}
    for quarter_id, branch_id, indicator_id, value in BoardScore.objects.filter(
        indicator__indicator__isnull=False
    ).values_list("quarter_id", "branch_id", "indicator__indicator_id", "value"):
        rows.setdefault((quarter_id, branch_id), {})[str(indicator_id)] = str(value)
    for entry in BoardEntry.objects.all().iterator(chunk_size=2000):
        entry.indicator_scores = rows.get((entry.quarter_id, entry.branch_id), {})
        entry.save(update_fields=["indicator_scores"])
    BoardScore.objects.all().delete()
    apps.get_model("boards", "PublishedIndicator").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0008_publication_snapshot"),
    ]

    operations = [migrations.RunPython(fill, unfill)]

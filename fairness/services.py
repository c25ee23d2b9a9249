"""Writes for the severity report: keeping it with the published quarter (a publication follow-up)."""

from __future__ import annotations

from django.db import transaction

from fairness.models import SeverityReportRecord
from fairness.selectors import severity_compute
from scoring.models import Quarter


@transaction.atomic
def severity_report_store(*, quarter: Quarter) -> SeverityReportRecord:
    """Keep the report as it stands at publication (scores are frozen then, and the seed is fixed,
    so running it twice stores the same thing). A publication follow-up (boards.followups)."""
    record, _created = SeverityReportRecord.objects.update_or_create(
        quarter=quarter, defaults={"data": severity_compute(quarter).as_dict()}
    )
    return record

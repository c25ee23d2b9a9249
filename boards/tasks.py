"""Work that follows publication, queued on commit by boards.services.quarter_publish."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Each follow-up is called as `function(quarter=quarter)` in its own task, so one failing (and
# retrying) does not hold up or repeat the others. Other apps add theirs here.
FOLLOW_UPS: tuple[str, ...] = (
    "boards.services.secretaries_notify",
    "interviews.services.interviews_create_for_quarter",
    "boards.star_services.star_ratings_store",
    "boards.fairness_services.severity_report_store",
)


@shared_task
def quarter_after_publish(quarter_id: int) -> list[str]:
    """Queue every follow-up of a published quarter. Returns the paths queued.

    Where tasks run in-process (no broker), a follow-up's failure surfaces right here: it is
    logged and the remaining follow-ups still run; publication itself has already committed.
    """
    queued = []
    for path in FOLLOW_UPS:
        try:
            quarter_follow_up.delay(path, quarter_id)
        except Exception:
            logger.exception("Follow-up %s of quarter %s failed.", path, quarter_id)
        else:
            queued.append(path)
    return queued


@shared_task(autoretry_for=(OperationalError, ConnectionError), retry_backoff=True, max_retries=5)
def quarter_follow_up(path: str, quarter_id: int) -> bool:
    """Run one follow-up. A follow-up whose module is not there yet is skipped with a warning
    (apps land at different times); anything else it raises is a real failure."""
    from scoring.models import Quarter

    try:
        function = import_string(path)
    except ImportError:
        logger.warning("Follow-up %s of quarter %s skipped: it cannot be imported yet.", path, quarter_id)
        return False
    function(quarter=Quarter.objects.get(pk=quarter_id))
    return True

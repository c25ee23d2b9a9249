"""Scheduled and queued work for rectification."""

from __future__ import annotations

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_rectification_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind secretaries of items due within 7 days or overdue.
    Safe to run more than once a day: an item is reminded at most once per day. Returns the count."""
    from interviews.services import reminders_send

    return len(reminders_send())


@shared_task
def remove_orphan_evidence() -> int:
    """Weekly (CELERY_BEAT_SCHEDULE): delete evidence files left by uploads that rolled back."""
    from interviews.services import evidence_orphans_remove

    return len(evidence_orphans_remove())

"""Scheduled and queued work for rectification."""

from __future__ import annotations

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_rectification_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind secretaries of items due within 7 days or overdue.
    Safe to run more than once a day: an item is reminded at most once per day. Returns the count."""
    from interviews.services import reminders_send

    return len(reminders_send())

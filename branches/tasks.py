"""Tasks about users: portal notices (and their e-mail copy)."""

from __future__ import annotations

from celery import shared_task

from branches.services import notice_send


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_notice(user_id: int, message: str, url: str = "", email: bool = False) -> int:
    """Create a portal notice for one user (and mail it if asked). Returns the notice id."""
    return notice_send(user_id=user_id, message=message, url=url, email=email).pk

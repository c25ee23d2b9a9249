"""Is the task queue reachable? Pages that queue work (exports) ask before promising anything."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def queue_available() -> bool:
    """True when tasks run in-process or the broker answers within about a second."""
    from baiyin_eval.celery import app

    if app.conf.task_always_eager:
        return True
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except Exception:  # kombu raises the transport's own errors (OperationalError, socket errors…)
        logger.warning("task queue unreachable at %s", app.conf.broker_url.split("@")[-1])
        return False
    return True

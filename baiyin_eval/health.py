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


# --- liveness and readiness probes ------------------------------------------------------------------

LIVE_PATH = "/healthz"
READY_PATH = "/readyz"


def readiness() -> dict[str, bool]:
    """Can this process serve requests? Each dependency it needs for that, checked quickly."""
    from django.core.cache import cache
    from django.db import connection

    checks: dict[str, bool] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
    except Exception:
        logger.warning("readiness: database unreachable", exc_info=True)
        checks["database"] = False
    try:
        cache.set("readyz", "1", 10)
        checks["cache"] = cache.get("readyz") == "1"
    except Exception:
        logger.warning("readiness: cache unreachable", exc_info=True)
        checks["cache"] = False
    checks["queue"] = queue_available()
    return checks


class HealthMiddleware:
    """Answers the orchestrator's probes before anything else runs: no host check (probes come
    from inside the network by address), no HTTPS redirect, no session, no database for liveness.

    GET /healthz → 200 while the process answers at all.
    GET /readyz  → 200 when the database, the cache and the task queue answer, else 503, with
    which of them failed (names only, nothing internal).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path not in (LIVE_PATH, READY_PATH) or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        from django.http import JsonResponse

        if path == LIVE_PATH:
            response = JsonResponse({"status": "ok"})
        else:
            checks = readiness()
            ready = all(checks.values())
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
            )
        response["Cache-Control"] = "no-store"
        return response

"""The severity report's computation, in the worker (the "exports" queue: baiyin_eval.settings)."""

from __future__ import annotations

from baiyin_eval.celery import app


# Bound to the project's app (see reports.tasks): queued from request threads.
@app.task(name="fairness.severity_run")
def severity_run_task(run_id: int) -> str:
    """Compute the severity report of one run and store it with the run."""
    from fairness.services import severity_run

    return severity_run(run_id=run_id).status

"""`python -m tests.reports.slow_worker worker …`: a real Celery worker whose exports write one row
every SLOW_EXPORT_ROW_SECONDS, so that a test can kill the whole worker in the middle of one.
Only the speed changes: the task, the service and the progress reports are the real ones."""

from __future__ import annotations

import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baiyin_eval.settings.test")
django.setup()

from reports import services  # noqa: E402

_real_build_workbook = services.build_workbook
_delay = float(os.environ.get("SLOW_EXPORT_ROW_SECONDS", "0.3"))


def _slow_build_workbook(spec, quarter_label, tick=lambda: None):
    def slow_tick() -> None:
        time.sleep(_delay)
        tick()

    return _real_build_workbook(spec, quarter_label, slow_tick)


services.build_workbook = _slow_build_workbook

if __name__ == "__main__":
    from baiyin_eval.celery import app

    app.worker_main(sys.argv[1:])  # prefork children are forked from here: they keep the patch

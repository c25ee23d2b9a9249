"""The Celery app. Without CELERY_BROKER_URL tasks run in-process (see settings.base)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baiyin_eval.settings.local")

# DjangoTask gives every task delay_on_commit(), so work is queued only after the
# surrounding transaction commits.
app = Celery("baiyin_eval", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

"""Which storage and cache the settings choose, and the probes the orchestrator calls."""

from __future__ import annotations

import environ
import pytest

from baiyin_eval.settings.sharing import caches_from_env, storages_from_env


def env_with(monkeypatch, **values: str) -> environ.Env:
    for name in ("DJANGO_S3_BUCKET", "DJANGO_S3_ENDPOINT_URL", "CACHE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_without_a_bucket_files_stay_on_the_local_disk(monkeypatch):
    storages = storages_from_env(env_with(monkeypatch), static_backend="S")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["reports"]["BACKEND"] == "reports.storage.ReportsFileSystemStorage"
    assert storages["staticfiles"] == {"BACKEND": "S"}


def test_a_bucket_holds_evidence_and_reports_apart_and_private(monkeypatch):
    storages = storages_from_env(
        env_with(monkeypatch, DJANGO_S3_BUCKET="hlb", DJANGO_S3_ENDPOINT_URL="http://minio:9000"), static_backend="S"
    )
    for alias, location in (("default", "media"), ("reports", "reports")):
        options = storages[alias]["OPTIONS"]
        assert storages[alias]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert options["bucket_name"] == "hlb" and options["location"] == location
        assert options["endpoint_url"] == "http://minio:9000"
        assert options["default_acl"] is None and options["querystring_auth"] is True
        assert options["querystring_expire"] <= 300 and options["file_overwrite"] is False


@pytest.mark.parametrize("name", ["CACHE_URL", "REDIS_URL"])
def test_a_redis_url_shares_the_cache(monkeypatch, name):
    caches = caches_from_env(env_with(monkeypatch, **{name: "redis://redis:6379/2"}))
    assert caches["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://redis:6379/2"


def test_without_redis_each_process_has_its_memory_cache(monkeypatch):
    assert caches_from_env(env_with(monkeypatch))["default"]["BACKEND"].endswith("LocMemCache")


def test_liveness_answers_without_the_database_or_a_known_host(client):
    # No django_db mark: any query here would raise.
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_names_what_is_down(client, monkeypatch):
    assert client.get("/readyz").json() == {"status": "ok", "database": True, "cache": True, "queue": True}
    monkeypatch.setattr("baiyin_eval.health.queue_available", lambda: False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": True, "cache": True, "queue": False}


def test_reports_go_to_their_own_queue():
    from baiyin_eval.celery import app
    from boards.tasks import follow_up_run_task, follow_ups_requeue_task
    from reports.tasks import export_job_run_task

    # The tasks' registered names, as the worker receives them.
    assert app.amqp.router.route({}, export_job_run_task.name)["queue"].name == "exports"
    for task in (follow_up_run_task, follow_ups_requeue_task):
        assert app.amqp.router.route({}, task.name)["queue"].name == "celery"
    assert {q.name for q in app.conf.task_queues} == {"celery", "exports"}

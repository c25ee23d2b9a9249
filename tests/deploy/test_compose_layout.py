"""docker-compose.yml scales out (parsed: there is no Docker engine here): two web replicas behind
nginx, a worker per queue, one beat, migrations once, files and cache shared by every process."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("web", "worker", "worker-exports", "beat", "migrate")


def test_two_web_replicas_answer_readiness_behind_nginx():
    web = SERVICES["web"]
    assert web["deploy"]["replicas"] == 2
    assert "/readyz" in " ".join(web["healthcheck"]["test"])
    assert SERVICES["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "proxy_pass http://web:8000;" in (ROOT / "deploy" / "nginx" / "proxy.conf").read_text()


def test_migrations_run_once_before_any_replica_or_worker():
    assert "migrate" in " ".join(SERVICES["migrate"]["command"])
    for name in ("web", "worker", "worker-exports", "beat"):
        assert "migrate" not in " ".join(SERVICES[name]["command"]), name
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_a_worker_per_queue_and_a_single_beat():
    queues = {}
    for name, service in SERVICES.items():
        command = service.get("command") or []
        if "worker" in command:
            queues[name] = command[command.index("-Q") + 1]
    assert queues == {"worker": "celery", "worker-exports": "exports"}
    beats = [name for name, s in SERVICES.items() if "beat" in (s.get("command") or [])]
    assert beats == ["beat"] and "replicas" not in SERVICES["beat"].get("deploy", {})


def test_every_process_shares_the_bucket_and_the_cache_and_keeps_no_local_files():
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["DJANGO_S3_BUCKET"] == "honglanbang" and env["DJANGO_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["CACHE_URL"].startswith("redis://redis:6379/") and env["CACHE_URL"] != env["CELERY_BROKER_URL"]
        assert "DJANGO_MEDIA_ROOT" not in env and "DJANGO_REPORTS_ROOT" not in env
        assert not SERVICES[name].get("volumes"), name
    assert "mb --ignore-existing store/honglanbang" in " ".join(SERVICES["minio-bucket"]["entrypoint"])
    assert "ports" not in SERVICES["minio"]


def test_gunicorn_gives_up_before_nginx_does():
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    proxy = (ROOT / "deploy" / "nginx" / "proxy.conf").read_text()
    nginx_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", proxy).group(1))
    assert conf["timeout"] < nginx_timeout <= conf["timeout"] + 15
    assert "deploy/gunicorn.conf.py" in SERVICES["web"]["command"]

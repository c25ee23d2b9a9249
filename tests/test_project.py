"""The project's set-up: migrations, settings switches, docker-compose, static files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _settings_value(module: str, expr: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_", "DJANGO_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    code = f"import django; django.setup(); from django.conf import settings as s; print({expr})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_no_variable_means_sqlite_and_in_process_celery():
    out = _settings_value("baiyin_eval.settings.local", "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER")
    assert out.stdout.strip() == "django.db.backends.sqlite3 True", out.stderr


def test_database_and_broker_urls_switch_to_postgres_and_redis():
    out = _settings_value(
        "baiyin_eval.settings.local",
        "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL",
        DATABASE_URL="postgres://u:p@db:5432/x",
        CELERY_BROKER_URL="redis://redis:6379/0",
    )
    assert out.stdout.strip() == "django.db.backends.postgresql False redis://redis:6379/0", out.stderr


def test_language_and_time_zone():
    out = _settings_value("baiyin_eval.settings.local", "s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.CELERY_TIMEZONE")
    assert out.stdout.strip() == "zh-hans Asia/Shanghai True Asia/Shanghai", out.stderr


def test_production_refuses_to_start_without_its_variables():
    out = _settings_value("baiyin_eval.settings.production", "s.DEBUG")
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY" in out.stderr and "DATABASE_URL" in out.stderr


def test_docker_compose_names_its_services_and_is_configured_by_environment():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert (
        "gunicorn" in " ".join(services["web"]["command"])
        if isinstance(services["web"]["command"], list)
        else "gunicorn" in services["web"]["command"]
    )
    assert "celery" in str(services["worker"]["command"]) and "worker" in str(services["worker"]["command"])
    assert "beat" in str(services["beat"]["command"])
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        for var in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"):
            assert var in env, (name, var)
        assert env["DJANGO_SETTINGS_MODULE"] == "baiyin_eval.settings.production"


def test_no_page_loads_anything_from_another_host():
    for path in list((ROOT / "templates").rglob("*.html")) + list(ROOT.glob("*/templates/**/*.html")):
        text = path.read_text()
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path


def test_production_settings_with_their_variables_refuse_demo_data_and_debug():
    out = _settings_value(
        "baiyin_eval.settings.production",
        "s.DEBUG, s.DEMO_DATA_ALLOWED, s.SESSION_COOKIE_SECURE, s.X_FRAME_OPTIONS",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="portal.example",
        DATABASE_URL="postgres://u:p@db:5432/x",
        CELERY_BROKER_URL="redis://redis:6379/0",
    )
    assert out.stdout.strip() == "False False True DENY", out.stderr


@pytest.mark.django_db
def test_the_favicon_is_served_from_static(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")

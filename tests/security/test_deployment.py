"""Production settings: `check --deploy` is clean, passwords hash with Argon2, the policy headers
are on. Run in a subprocess with only the production variables set, as a server would start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "AXES_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="baiyin_eval.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "-production-check-only-Kq8#Lp2$Vw9!Zr4%Tn6&",
        DJANGO_ALLOWED_HOSTS="honglanbang.example.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/8",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_with_production_settings_has_no_warning(tmp_path):
    env = production_env(tmp_path, DJANGO_TRUSTED_PROXIES="172.28.0.10")  # nginx, as docker-compose.yml
    out = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_an_https_redirect_with_no_trusted_proxy_is_reported(tmp_path):
    out = run(["manage.py", "check", "--deploy"], production_env(tmp_path))
    assert "baiyin.W003" in out.stderr and "DJANGO_TRUSTED_PROXIES" in out.stderr
    out = run(["manage.py", "check", "--deploy"], production_env(tmp_path, DJANGO_SECURE_COOKIES="false"))
    assert "baiyin.W003" not in out.stderr  # the plain-HTTP trial redirects nowhere


def test_a_plain_http_trial_is_allowed_with_a_warning(tmp_path):
    env = production_env(tmp_path, DJANGO_SECURE_COOKIES="false")
    out = run(["manage.py", "check", "--deploy"], env)
    assert out.returncode == 0, out.stderr
    assert "baiyin.W001" in out.stderr and "DJANGO_SECURE_COOKIES=false" in out.stderr
    assert run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env).returncode != 0
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    assert run(["-c", code], env).stdout.strip() == "False False False 0"


def test_the_old_proxy_count_variable_is_reported(tmp_path):
    out = run(["manage.py", "check", "--deploy"], production_env(tmp_path, DJANGO_REVERSE_PROXY_COUNT="1"))
    assert "baiyin.W002" in out.stderr and "DJANGO_TRUSTED_PROXIES" in out.stderr


def test_production_security_settings(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'PASSWORD_HASHERS', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE',"
        "'CSRF_COOKIE_SECURE', 'X_FRAME_OPTIONS', 'SESSION_COOKIE_AGE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE',"
        "'AXES_LOCKOUT_PARAMETERS', 'AXES_CLIENT_IP_CALLABLE', 'TRUSTED_PROXIES', 'AXES_VERBOSE',"
        "'AUTHENTICATION_BACKENDS', 'MIDDLEWARE', 'CONTENT_SECURITY_POLICY', 'AXES_ENABLED',"
        "'AXES_FAILURE_LIMIT', 'AXES_COOLOFF_TIME', 'AUTH_PASSWORD_VALIDATORS']}))"
    )
    out = run(["-c", code], production_env(tmp_path))
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600 and s["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert s["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]
    # No proxy is trusted unless named: nobody's X-Forwarded-For is believed by default.
    assert s["AXES_CLIENT_IP_CALLABLE"] == "baiyin_eval.client_address.client_address"
    assert s["TRUSTED_PROXIES"] == []
    assert s["AXES_VERBOSE"] is False
    assert s["AXES_ENABLED"] is True and s["AXES_FAILURE_LIMIT"] == 5 and s["AXES_COOLOFF_TIME"] == 0.5
    assert {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    } in s["AUTH_PASSWORD_VALIDATORS"]
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"
    assert s["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    # X-Forwarded-Proto is dropped from untrusted peers before anything reads request.is_secure()
    assert s["MIDDLEWARE"][1] == "baiyin_eval.client_address.ForwardedProtoMiddleware"
    assert "csp.middleware.CSPMiddleware" in s["MIDDLEWARE"]
    directives = s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in str(directives)
    assert directives["frame-ancestors"] == ["'none'"]


def test_trusted_proxies_are_addresses_or_networks(tmp_path):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.TRUSTED_PROXIES)"
    out = run(["-c", code], production_env(tmp_path, DJANGO_TRUSTED_PROXIES="172.28.0.10, 10.1.0.0/16"))
    assert out.stdout.strip() == "['172.28.0.10/32', '10.1.0.0/16']", out.stderr


def test_a_wrong_trusted_proxy_stops_the_start_with_its_name(tmp_path):
    code = "import django; django.setup()"
    out = run(["-c", code], production_env(tmp_path, DJANGO_TRUSTED_PROXIES="nginx"))
    assert out.returncode != 0 and "DJANGO_TRUSTED_PROXIES" in out.stderr and "'nginx'" in out.stderr


@pytest.mark.parametrize("password", ["Demo@2019", "12345678901", "password123", "Ab3$xyz"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("红蓝榜-Quarterly-2019")


def test_tests_hash_with_md5_for_speed_only(settings):
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_or_after_eight_hours(client, dept_user):
    client.force_login(dept_user)
    session = client.session
    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() == 8 * 3600
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie

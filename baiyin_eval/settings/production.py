"""Production: PostgreSQL + Redis + Celery worker/beat behind gunicorn and whitenoise.

Configured only through environment variables; refuses to start without the essential ones.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env
from .sharing import storages_from_env

REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL")
_missing = [name for name in REQUIRED if not env.str(name, default="")]
if _missing:
    raise ImproperlyConfigured("缺少必需的环境变量 / missing environment variables: " + ", ".join(_missing))

DEBUG = False
DEMO_DATA_ALLOWED = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

STORAGES = storages_from_env(env, static_backend="whitenoise.storage.CompressedManifestStaticFilesStorage")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# --- Security (issue 15): plain-HTTP trial ----------------------------------------------------------
# DJANGO_SECURE_COOKIES=false: a trial on an intranet without TLS yet. Cookies are sent over plain
# HTTP (else the browser never returns the CSRF cookie and nobody can log in), and HTTPS is neither
# forced nor announced unless asked for; `check --deploy` warns (baiyin_eval.checks).
SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES
SECURE_HSTS_PRELOAD = SECURE_COOKIES
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# --- end of security block ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

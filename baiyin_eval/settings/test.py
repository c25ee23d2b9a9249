"""Tests: fast hashing; SQLite by default, PostgreSQL when DATABASE_URL is set (as in CI)."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-key-not-for-production"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "test-media"))
REPORTS_ROOT = env.path("DJANGO_REPORTS_ROOT", default=str(VAR_DIR / "test-reports"))
# The test client's login() authenticates without a request, which django-axes refuses; tests that
# exercise the lockout switch it on (tests/accounts/test_login_throttling.py).
AXES_ENABLED = False

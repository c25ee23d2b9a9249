"""Settings shared by every environment. Values come from the environment (django-environ).

With no variable set the portal runs on the embedded default: a SQLite file under var/ and
Celery tasks executed in-process. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from baiyin_eval.client_address import parse_networks

from .sharing import caches_from_env, storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "baiyin_eval.apps.AxesConfig",  # django-axes, named in Chinese
    "csp",
    "treebeard",
    "branches",
    "members",
    "scoring",
    "boards",
    "ratings",
    "fairness",
    "interviews",
    "dashboards",
    "rollup",
    "reports",
    "audit",
    "accounts",
    "demo",  # last: demo seeding may import every app above
]

MIDDLEWARE = [
    # First: a body too large for its route is refused before anything reads it (issue 15).
    "baiyin_eval.request_size.RequestSizeLimitMiddleware",
    # Then, before anything reads request.is_secure(): X-Forwarded-Proto is believed only from a
    # trusted proxy (baiyin_eval/client_address.py).
    "baiyin_eval.client_address.ForwardedProtoMiddleware",
    # Liveness/readiness probes answered before host checks and HTTPS redirects (baiyin_eval/health.py).
    "baiyin_eval.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baiyin_eval.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "branches.middleware.UnitChoiceMiddleware",
    "audit.middleware.AuditAddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "baiyin_eval.urls"
WSGI_APPLICATION = "baiyin_eval.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "branches.context_processors.roles",
                "branches.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waiting for a lock beats failing with "database is locked" under the dev server.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "branches.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in (local accounts, LDAP/AD, OIDC) and AUTHENTICATION_BACKENDS: settings/auth.py.
from .auth import *  # noqa: E402, F403

# Argon2 for new and upgraded hashes; the others only verify (and rehash) older passwords.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("英文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Files and cache shared between processes (local disk and memory unless configured): sharing.py.
STORAGES = storages_from_env(env, static_backend="django.contrib.staticfiles.storage.StaticFilesStorage")
CACHES = caches_from_env(env)
# Uploaded evidence lives outside the static tree and is served only through views that check access.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Evidence uploads (整改佐证材料): largest accepted file.
INTERVIEWS_EVIDENCE_MAX_BYTES = env.int("INTERVIEWS_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Generated Excel reports.
REPORTS_ROOT = env.path("DJANGO_REPORTS_ROOT", default=str(VAR_DIR / "reports"))

# A full score sheet posts a handful of fields per indicator; sized for the largest scheme
# with room to spare rather than switched off.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes). A failure counts against the username *and* the address together,
# so one person mistyping cannot lock out a whole office behind the same NAT address, and an attacker
# guessing one account is stopped. Cool-off: the lock lifts by itself after AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"


# --- Security (issue 15): client address, request size, management-command noise -------------------
# The client address (login throttling and the audit log): X-Forwarded-For is believed only from these
# peers (addresses or CIDR networks, comma-separated), read from its right-hand end; see
# baiyin_eval/client_address.py. Empty: nobody's header is believed, the peer is the client.
TRUSTED_PROXIES = [str(n) for n in parse_networks(env.list("DJANGO_TRUSTED_PROXIES", default=[]))]
AXES_CLIENT_IP_CALLABLE = "baiyin_eval.client_address.client_address"
# django-axes prints an "AXES: BEGIN ..." banner at every start, so every manage.py run; say nothing.
AXES_VERBOSE = False
# Largest request body accepted by a route that takes no file (Django's own in-memory limit);
# routes that take files have their own limits (baiyin_eval/request_size.py). Bigger bodies get 413
# before a byte of them is read.
REQUEST_BODY_MAX_BYTES = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# Production reads DJANGO_SECURE_COOKIES; False only for a plain-HTTP trial (warned by check --deploy).
SECURE_COOKIES = True
# --- end of security block ---------------------------------------------------------------------------

# Content-Security-Policy (django-csp 4): every script and stylesheet is a file served by us; no
# inline script, no inline style, no framing, forms post only to ourselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="honglanbang@localhost")

# seed_demo refuses to run where this is False (production).
DEMO_DATA_ALLOWED = True

COMPANY_NAME = env.str("PORTAL_COMPANY_NAME", default="国网白银供电公司")

# Celery. No broker configured means the embedded default: tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Time limits (seconds), for every task. The longest are the exports and publication follow-ups of a
# 50,000-branch quarter (well under a minute in BENCHMARKS.md). Past the soft limit an export is
# stopped and marked failed with a plain message (reports.services); the hard limit kills a child
# that ignores it.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# Redis redelivers a task a killed worker had taken (acks_late) after the visibility timeout —
# kombu's default is 3,600 s. Ours is longer than the hard time limit (a task still running is
# never delivered twice) and much shorter than an hour.
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
# An export job whose worker has not reported progress for this long is lost (its worker was killed):
# a new request for the same report starts afresh, and prune_exports marks it failed.
EXPORT_STALE_AFTER = env.int("EXPORT_STALE_AFTER", default=120)
# Publication follow-ups (boards.followups): a job not done this long after it was last queued is
# queued again by the sweep below.
FOLLOW_UP_REQUEUE_AFTER = env.int("FOLLOW_UP_REQUEUE_AFTER", default=180)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Two queues, so a long export never delays publication follow-ups and reminders: reports' tasks
# go to "exports", everything else to "celery". A worker started without -Q consumes both (the
# embedded default, tests); docker-compose runs one worker per queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("exports"))
# The severity report (fairness.severity_run, issue 20) is long work like an export: the same queue.
CELERY_TASK_ROUTES = {"reports.*": {"queue": "exports"}, "fairness.*": {"queue": "exports"}}
CELERY_BEAT_SCHEDULE: dict = {
    # Rectification reminders: every morning at 08:30 Asia/Shanghai (CELERY_TIMEZONE), items due
    # within 7 days or overdue. The task is idempotent per item and day, so a re-run sends nothing.
    "interviews-rectification-reminders": {
        "task": "interviews.tasks.send_rectification_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Evidence files left on disk by uploads whose transaction rolled back: Sundays at 03:00.
    "interviews-remove-orphan-evidence": {
        "task": "interviews.tasks.remove_orphan_evidence",
        "schedule": crontab(hour=3, minute=0, day_of_week=0),
    },
    # Publication follow-ups that were not done in time (a broker down at commit, a worker killed):
    # queued again every minute. Running one twice does nothing twice (boards.followups).
    "boards-follow-ups-sweep": {
        "task": "boards.follow_ups_requeue",
        "schedule": env.float("FOLLOW_UP_SWEEP_EVERY", default=60.0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

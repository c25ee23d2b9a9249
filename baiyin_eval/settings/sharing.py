"""What the processes of one installation share: files (evidence, generated reports) and the cache.

With nothing set, every process uses the local disk and its own memory: right for the embedded
default and one machine. On more than one machine (two web replicas, workers elsewhere):
- DJANGO_S3_BUCKET (+ DJANGO_S3_ENDPOINT_URL for MinIO or any S3-compatible store,
  DJANGO_S3_ACCESS_KEY, DJANGO_S3_SECRET_KEY, DJANGO_S3_REGION) puts evidence under `media/` and
  reports under `reports/` in that bucket (django-storages' S3 backend). Nothing is public: files
  are served through the portal's access-checked views.
- CACHE_URL or REDIS_URL (redis://…) puts the cache in Redis (django-redis), so every process sees
  the same cached values.
"""

from __future__ import annotations

from typing import Any

MEMORY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "honglanbang"}}


def storages_from_env(env, *, static_backend: str) -> dict[str, dict[str, Any]]:
    """Django's STORAGES: `default` holds evidence, `reports` the generated Excel reports."""
    bucket = env.str("DJANGO_S3_BUCKET", default="")
    if not bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "reports": {"BACKEND": "reports.storage.ReportsFileSystemStorage"},
            "staticfiles": {"BACKEND": static_backend},
        }
    s3 = {
        "bucket_name": bucket,
        "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("DJANGO_S3_ACCESS_KEY", default="") or None,
        "secret_key": env.str("DJANGO_S3_SECRET_KEY", default="") or None,
        "region_name": env.str("DJANGO_S3_REGION", default="") or None,
        "addressing_style": "path",  # MinIO and most on-premises stores
        "signature_version": "s3v4",
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,  # any URL the backend makes is signed and short-lived
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3, "location": "media"}},
        "reports": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3, "location": "reports"}},
        "staticfiles": {"BACKEND": static_backend},
    }


def caches_from_env(env) -> dict[str, dict[str, Any]]:
    url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
    if not url:
        return MEMORY_CACHE
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "honglanbang",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }

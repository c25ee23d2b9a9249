"""`check --deploy` warnings for settings an operator may leave in a dangerous state (issue 15)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def plain_http_trial(app_configs, **kwargs):
    if getattr(settings, "SECURE_COOKIES", True):
        return []
    return [
        Warning(
            "DJANGO_SECURE_COOKIES=false：登录和 CSRF Cookie 经明文 HTTP 传输，仅供内网试运行；正式上线前"
            "请配置 TLS 并删除此变量。/ Cookies travel over plain HTTP: for a trial only.",
            id="baiyin.W001",
        )
    ]


@register(Tags.security, deploy=True)
def old_proxy_count(app_configs, **kwargs):
    if "DJANGO_REVERSE_PROXY_COUNT" not in os.environ:
        return []
    return [
        Warning(
            "DJANGO_REVERSE_PROXY_COUNT 已不再使用：请在 DJANGO_TRUSTED_PROXIES 中列出反向代理的地址或网段。"
            " / DJANGO_REVERSE_PROXY_COUNT is ignored; list the proxies in DJANGO_TRUSTED_PROXIES.",
            id="baiyin.W002",
        )
    ]

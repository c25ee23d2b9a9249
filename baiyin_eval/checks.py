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


@register(Tags.security, deploy=True)
def https_redirect_without_proxies(app_configs, **kwargs):
    """Behind a proxy that ends TLS, X-Forwarded-Proto is believed only from DJANGO_TRUSTED_PROXIES: with
    none listed, every request looks like plain HTTP and the HTTPS redirect would loop."""
    if not getattr(settings, "SECURE_SSL_REDIRECT", False) or getattr(settings, "TRUSTED_PROXIES", ()):
        return []
    return [
        Warning(
            "已开启 HTTPS 跳转但未设置 DJANGO_TRUSTED_PROXIES：反向代理发来的 X-Forwarded-Proto 不被采信，"
            "经代理的请求会被反复跳转。请列出反向代理的地址或网段。/ SECURE_SSL_REDIRECT is on but no trusted "
            "proxy is listed: X-Forwarded-Proto is ignored, so requests through a TLS proxy would redirect forever.",
            id="baiyin.W003",
        )
    ]

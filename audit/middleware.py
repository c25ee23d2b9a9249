"""Remembers the client address of the request being served, so services that audit an action
(they take a user, not a request) still record where it came from."""

from __future__ import annotations

from contextvars import ContextVar

from baiyin_eval.client_address import client_address

current_address: ContextVar[str | None] = ContextVar("audit_current_address", default=None)


class AuditAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The same function as django-axes (settings: DJANGO_TRUSTED_PROXIES), so a forged
        # X-Forwarded-For is not what the log says.
        token = current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)

"""Request bodies larger than their route accepts are refused with 413 before any of it is read.

Django reads (and, for multipart, spools to a temporary file) the whole body the first time a
view, the CSRF check or a middleware touches request.POST, so a limit checked in the view comes
after the disk has filled. This middleware runs first: it refuses on the declared Content-Length,
and a chunked body (no Content-Length) is read into memory only up to the limit and refused as soon
as it goes past it. nginx enforces the same ceiling (client_max_body_size), so a connection that
bypasses nginx gains nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

# What a multipart form adds around its file (boundaries, the CSRF token, a few fields).
FORM_OVERHEAD_BYTES = 1024 * 1024
CHUNK = 64 * 1024


# Routes that take a file, by URL name → the size of file they accept (in bytes, without the form
# around it). Each app registers its own in its AppConfig.ready() (`file_route_register`), so this
# module never imports an app; every other route gets settings.REQUEST_BODY_MAX_BYTES.
FILE_ROUTES: dict[str, Callable[[], int]] = {}


def file_route_register(view_name: str, file_bytes: Callable[[], int]) -> None:
    """Let the route named `view_name` take a file of up to `file_bytes()` bytes."""
    FILE_ROUTES[view_name] = file_bytes


def body_limit(path: str) -> int:
    """The largest body the route at `path` accepts."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    file_bytes = FILE_ROUTES.get(name)
    return file_bytes() + FORM_OVERHEAD_BYTES if file_bytes else int(settings.REQUEST_BODY_MAX_BYTES)


def too_large(limit: int) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("请求内容过大：此处最多接受 %(limit)s，请压缩或拆分后再提交。") % {"limit": filesizeformat(limit)}
        html = render_to_string("request_too_large.html", {"message": message})
    return HttpResponse(html, status=413)


class RequestSizeLimitMiddleware:
    """First in MIDDLEWARE. Refuses with 413 a body whose declared or actual size exceeds its route's limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        declared = meta.get("CONTENT_LENGTH")
        chunked = "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not declared and not chunked:
            return self.get_response(request)
        limit = body_limit(request.path_info)
        if declared:
            try:
                size = int(declared)
            except ValueError:
                size = 0  # Django treats an unreadable length as an empty body
            if size > limit:
                return too_large(limit)
        elif chunked and "wsgi.input" in meta:
            body = self._read_chunked(meta["wsgi.input"], limit)
            if body is None:
                return too_large(limit)
            # Hand Django the body it would otherwise ignore (WSGI has no length for a chunked body).
            meta["CONTENT_LENGTH"] = str(len(body))
            request._stream = io.BytesIO(body)
        return self.get_response(request)

    @staticmethod
    def _read_chunked(stream, limit: int) -> bytes | None:
        buffer = bytearray()
        while True:
            chunk = stream.read(min(CHUNK, limit + 1 - len(buffer)))
            if not chunk:
                return bytes(buffer)
            buffer += chunk
            if len(buffer) > limit:
                return None

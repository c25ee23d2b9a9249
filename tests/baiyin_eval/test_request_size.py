"""Body limits per route, checked before the body is read (the gunicorn tests of
tests/security/test_deployed_server.py show the same from the outside)."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory

from baiyin_eval.request_size import RequestSizeLimitMiddleware, body_limit

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/login/", 2_621_440),
        ("/scoring/", 2_621_440),
        ("/no/such/page/", 2_621_440),
        ("/reports/imports/branches/", 11 * MB),
        ("/reports/imports/scores/", 11 * MB),
        ("/reports/imports/users/", 11 * MB),
        ("/reports/imports/units/", 11 * MB),
        ("/interviews/items/7/evidence/", 11 * MB),
    ],
)
def test_each_route_has_its_limit(path, limit):
    assert body_limit(path) == limit


def test_the_evidence_limit_follows_its_setting(settings):
    settings.INTERVIEWS_EVIDENCE_MAX_BYTES = 20 * MB
    assert body_limit("/interviews/items/7/evidence/") == 21 * MB


class Unread(io.RawIOBase):
    """A body nobody may read."""

    def read(self, *args):
        raise AssertionError("the body was read")


def run(path: str, **meta):
    request = RequestFactory().post(path, data=b"", content_type="application/octet-stream")
    request.META.update(meta)
    seen = []
    response = RequestSizeLimitMiddleware(lambda r: seen.append(r) or "passed")(request)
    return response, seen


def test_a_declared_size_over_the_limit_is_refused_without_reading(settings):
    response, seen = run("/login/", CONTENT_LENGTH=str(800 * MB), **{"wsgi.input": Unread()})
    assert response.status_code == 413 and not seen
    assert "请求内容过大" in response.content.decode() and "2.5\xa0MB" in response.content.decode()


def test_a_large_upload_is_let_through_where_files_are_taken():
    response, seen = run("/interviews/items/7/evidence/", CONTENT_LENGTH=str(5 * MB), **{"wsgi.input": Unread()})
    assert response == "passed" and seen


def test_a_chunked_body_is_read_only_up_to_the_limit():
    stream = io.BytesIO(b"x" * (4 * MB))
    response, seen = run("/login/", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": stream})
    assert response.status_code == 413 and not seen
    assert stream.tell() == 2_621_440 + 1


def test_a_small_chunked_body_reaches_the_view_whole():
    body = b"username=a&password=b"
    response, seen = run(
        "/login/", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": io.BytesIO(body)}
    )
    assert response == "passed"
    assert seen[0].META["CONTENT_LENGTH"] == str(len(body)) and seen[0].body == body


def test_the_middleware_runs_first(settings):
    assert settings.MIDDLEWARE[0] == "baiyin_eval.request_size.RequestSizeLimitMiddleware"

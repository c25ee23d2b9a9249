"""Hostile input: ids out of every range, query strings full of junk, markup in free text, numbers
that are not numbers. Nothing may crash (500), leak or change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from scoring.models import Score, ScoreSheet
from tests.scoring.helpers import sheet_post
from tests.security.test_access_matrix import MATRIX, named_urls, request_as

pytestmark = pytest.mark.django_db

HUGE = 2**70  # past bigint: the database must not be asked, or must answer "nothing"
JUNK_QUERY = {
    "page": "99999999999999999999",
    "quarter": "<script>alert(1)</script>",
    "code": "2019Q1' OR '1'='1",
    "category": "../../etc/passwd",
    "unit": "-1",
    "branch": "1e9",
    "group": "１",
    "q": "%00",
    "action": "login_failed\x00",
    "since": "2019-02-30",
}


def test_ids_past_any_range_are_not_found_for_every_role(client, demo):
    for name, route in named_urls().items():
        if "<int:" not in route:
            continue
        kwargs = {key: HUGE if kind == "int" else "2019Q1" for kind, key in re.findall(r"<(\w+):(\w+)>", route)}
        url = reverse(name, kwargs=kwargs)
        method = MATRIX[name][0]
        for role in ("dangjian", "shuji"):
            response = request_as(client, role, method, url, demo.users)
            assert response.status_code in (403, 404), (name, role, response.status_code)


def test_junk_query_strings_never_crash_a_page(client, demo):
    client.force_login(demo.users["dangjian"])
    for name, route in named_urls().items():
        if MATRIX[name][0] != "GET" or "<int:" in route:
            continue
        url = reverse(name, kwargs={"code": demo.quarter.code} if "<str:code>" in route else {})
        response = client.get(url, JUNK_QUERY)
        assert response.status_code < 500, (name, response.status_code)
        if response.get("Content-Type", "").startswith("text/html"):
            assert "<script>alert(1)</script>" not in response.content.decode(), name


@pytest.mark.parametrize(
    "typed",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "1E1",
        "99999999999",
        "-0.1",
        "8.55",
        "8,5",
        "八",
        "<b>8</b>",
        "8; DROP TABLE",
    ],
)
def test_a_score_that_is_not_a_score_is_refused_and_changes_nothing(client, world, typed):
    client.force_login(world.alice)
    before = (list(Score.objects.values_list("indicator_id", "value")), world.sheet.version)
    response = client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/", sheet_post(world.sheet, world.indicators, values={"S1": typed})
    )
    assert response.status_code == 400  # the form again, with the error next to the field
    html = response.content.decode()
    assert "invalid-feedback" in html or "alert-danger" in html
    assert "<b>8</b>" not in html
    after = (
        list(Score.objects.values_list("indicator_id", "value")),
        ScoreSheet.objects.get(pk=world.sheet.pk).version,
    )
    assert after == before


def test_markup_in_notes_and_problems_is_shown_as_text(client, world, dept_user):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.force_login(world.alice)
    data = sheet_post(world.sheet, world.indicators, values={"S1": "8"}, notes={"S1": payload})
    data.update(
        {
            "problem-TOTAL_FORMS": "1",
            "problem-0-indicator": str(world.indicators[0].pk),
            "problem-0-description": payload,
        }
    )
    assert client.post(f"/scoring/sheets/{world.sheet.pk}/save/", data).status_code == 302
    for who in (world.alice, dept_user):
        client.force_login(who)
        html = client.get(f"/scoring/sheets/{world.sheet.pk}/").content.decode()
        assert "&lt;script&gt;" in html and payload not in html

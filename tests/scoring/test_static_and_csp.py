"""The scoring pages under production-like static files (hashed names: a missing file is a 500
there) and ready for a strict Content-Security-Policy (no inline script or style)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests.scoring.helpers import sheet_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest_static(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)


def pages(world):
    code = world.quarter.code
    return {
        "alice": ["/scoring/my/", f"/scoring/groups/{world.group_a.pk}/", f"/scoring/sheets/{world.sheet.pk}/"],
        "dept": [
            f"/scoring/q/{code}/",
            f"/scoring/q/{code}/groups/",
            f"/scoring/q/{code}/groups/new/",
            f"/scoring/groups/{world.group_a.pk}/edit/",
            f"/scoring/q/{code}/contributions/",
            f"/scoring/sheets/{world.sheet.pk}/",
        ],
    }


def test_the_pages_render_with_hashed_static_files(client, world, dept_user, manifest_static):
    for who, urls in pages(world).items():
        client.force_login(world.alice if who == "alice" else dept_user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    html = client.get(f"/scoring/sheets/{world.sheet.pk}/").content.decode()
    assert re.search(r'src="/static/js/scoresheet\.[0-9a-f]{12}\.js"', html)


def test_no_inline_script_or_style(client, world, dept_user):
    client.force_login(world.alice)
    invalid = client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/", sheet_post(world.sheet, world.indicators, values={"S1": "99"})
    ).content.decode()
    bodies = [invalid]
    for who, urls in pages(world).items():
        client.force_login(world.alice if who == "alice" else dept_user)
        bodies.extend(client.get(url).content.decode() for url in urls)
    for html in bodies:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html
        assert " onclick=" not in html and " onchange=" not in html

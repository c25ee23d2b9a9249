"""The pages of issue 11 render under production-like settings (manifest static files, DEBUG off)
and carry no inline script or style (the Content-Security-Policy forbids them)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from boards.services import quarter_publish
from scoring.models import ScoreSheet
from tests.fairness.helpers import severity_computed

pytestmark = pytest.mark.django_db


def test_the_issue_11_pages_render_with_the_manifest_storage_and_no_inline_code(client, demo, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    dept = demo.users["dangjian"]
    client.force_login(dept)
    sheet = ScoreSheet.objects.filter(quarter=demo.quarter).first()

    def check(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", html), (
            url
        )  # json_script data blocks aside
        assert " style=" not in html, url
        return html

    check("/boards/2019Q1/severity/")  # before a run: the start button
    severity_computed(demo.quarter, dept)
    check("/boards/2019Q1/severity/")
    assert "js/scoresheet-draft." in check(f"/scoring/sheets/{sheet.pk}/")
    quarter_publish(quarter=demo.quarter, user=dept)
    client.force_login(demo.users["shuji"])
    assert "晋位指引" in check(f"/boards/branch/{demo.users['shuji'].branch_id}/?quarter=2019Q1")
    assert "js/print." in check("/boards/2019Q1/")  # the hashed print script
    check("/boards/2019Q1/announcement/")

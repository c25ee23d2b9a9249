"""The dashboards under production-like static files (manifest storage, DEBUG off): a missing
static reference would only then be a 500 (PITFALLS)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from branches.models import Branch

pytestmark = pytest.mark.django_db


def test_the_dashboard_pages_render_with_the_manifest_storage(client, demo, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    for username, urls in {
        "shuji": ["/boards/dashboard/", f"/branches/{pingchuan.pk}/points/", "/boards/stars/", "/"],
        "lingdao": ["/boards/dashboard/overview/", "/boards/dashboard/?category=2&branch=0"],
        "dangjian": ["/boards/stars/", f"/branches/{pingchuan.pk}/points/?quarter=2018Q4"],
    }.items():
        client.force_login(demo.users[username])
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
    client.force_login(demo.users["shuji"])
    html = client.get("/boards/dashboard/").content.decode()
    assert "/static/js/dashboard." in html and "/static/vendor/chartjs/chart.umd." in html  # hashed names
    assert "/static/js/dashboard.js" not in html

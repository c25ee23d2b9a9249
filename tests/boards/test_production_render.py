"""The board's pages under production-like static files: a missing static reference would be a 500
only with the manifest storage and DEBUG off (PITFALLS), so render them that way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from boards.services import quarter_publish
from scoring.models import Score, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create, quarter_transition

pytestmark = pytest.mark.django_db


def publish_a_second_quarter(dept) -> None:
    """2019Q2 with the demo's branches, so branch pages draw their history chart."""
    quarter = quarter_transition(quarter=quarter_create(code="2019Q2"), to="scoring")
    for n, old in enumerate(ScoreSheet.objects.filter(quarter__code="2019Q1").select_related("branch")):
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=old.branch, status=ScoreSheet.Status.SUBMITTED)
        fraction = Decimal("0.80") + Decimal(n % 15) / 100
        Score.objects.bulk_create(
            Score(sheet=sheet, indicator=i, value=(i.max_score * fraction).quantize(Decimal("0.1")))
            for i in scheme_for_category(quarter, old.branch.category)
        )
    quarter_publish(quarter=quarter, user=dept)


def test_every_board_page_renders_with_the_manifest_storage(client, demo, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    dept = demo.users["dangjian"]
    client.force_login(dept)
    assert client.get("/boards/2019Q1/").status_code == 200  # the preview
    quarter_publish(quarter=demo.quarter, user=dept)
    publish_a_second_quarter(dept)
    branch = demo.users["shuji"].branch_id
    for url in [
        "/boards/",
        "/boards/2019Q1/",
        "/boards/2019Q2/preview/",
        "/boards/2019Q1/announcement/",
        "/boards/rules/",
        "/boards/adjustments/",
        "/boards/history/",
        f"/boards/branch/{branch}/",
        "/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(f"/boards/branch/{branch}/").content.decode()
    assert 'id="board-history-chart"' in html
    assert "/static/js/board." in html and "/static/vendor/chartjs/chart.umd." in html  # hashed names

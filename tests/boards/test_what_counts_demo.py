"""The issue's "Done when", on the demo, through the pages: 党建部 returns a sheet, the inspector
changes it without resubmitting — the preview shows it uncounted and publication is refused by
name; the inspector resubmits — publication works and counts the new scores."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from boards.models import BoardEntry, BoardScore
from scoring.models import ScoreSheet
from scoring.selectors import scheme_for_category
from tests.scoring.helpers import sheet_post

pytestmark = pytest.mark.django_db

BRANCH = "白银变电运检中心党支部"  # rank 1 of Ⅰ类 (red board) on the demo
REASON = "机制创新项扣分依据不足，请复核"


def _post_sheet(client, sheet: ScoreSheet, action: str, lowered: Decimal):
    sheet.refresh_from_db()
    indicators = scheme_for_category(sheet.quarter, sheet.branch.category)
    values = {s.indicator.code: str(s.value) for s in sheet.scores.select_related("indicator")}
    first = indicators[0]
    values[first.code] = str(lowered)
    return client.post(
        reverse("scoring:sheet_save", args=[sheet.pk]), sheet_post(sheet, indicators, values=values, action=action)
    )


def test_a_returned_sheet_changed_without_resubmitting_holds_publication_until_it_is_resubmitted(demo, client):
    dept, inspector = demo.users["dangjian"], demo.users["jiancha1"]
    quarter = demo.quarter
    sheet = ScoreSheet.objects.select_related("branch", "quarter").get(
        quarter=quarter, branch__name=BRANCH, group__name="第一检查组"
    )
    assert inspector in sheet.group.members.all()

    client.force_login(dept)
    client.post(reverse("scoring:sheet_return", args=[sheet.pk]), {"reason": REASON})
    client.force_login(inspector)
    response = _post_sheet(client, sheet, "save", Decimal("0"))
    assert response.status_code in (200, 302)
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.scores.filter(value=0).exists()

    client.force_login(dept)
    preview = client.get(reverse("boards:preview", args=[quarter.code])).content.decode()
    table = preview[preview.index('id="uncounted-list"') :]
    assert BRANCH in table and "第一检查组" in table and "已退回，未重新提交" in table and REASON in table
    assert f'href="{reverse("scoring:sheet", args=[sheet.pk])}"' in table
    red = preview[: preview.index('id="uncounted-list"')]
    assert f"{BRANCH}（" not in red  # no longer on the red board: its only sheet counts for nothing

    refused = client.post(reverse("boards:publish", args=[quarter.code]), {"confirm": "1"}, follow=True)
    assert f"{BRANCH}（第一检查组，已退回，未重新提交：{REASON}）" in refused.content.decode()
    assert not BoardEntry.objects.filter(quarter=quarter).exists()

    client.force_login(inspector)
    _post_sheet(client, sheet, "submit", Decimal("0"))
    sheet.refresh_from_db()
    assert sheet.is_submitted

    client.force_login(dept)
    published = client.post(reverse("boards:publish", args=[quarter.code]), {"confirm": "1"})
    assert published.status_code == 302 and published.url == reverse("boards:board", args=[quarter.code])
    entry = BoardEntry.objects.get(quarter=quarter, branch__name=BRANCH)
    first = scheme_for_category(quarter, sheet.branch.category)[0]
    stored = BoardScore.objects.get(quarter=quarter, branch=entry.branch, indicator__code=first.code)
    assert stored.value == Decimal("0")  # the resubmitted score counts

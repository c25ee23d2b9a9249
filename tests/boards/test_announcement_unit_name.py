"""The 通报 keeps the unit name it was published with (issue 17), as the board's rows keep each
branch's unit: renaming a unit afterwards — or the company, in a single-company installation —
changes no published announcement; a quarter not yet published is signed with the name of today."""

# ruff: noqa: F811 — two_cities is a fixture, imported to be requested by name
from __future__ import annotations

import pytest

from boards.services import quarter_publish
from branches.models import Unit
from tests.boards.test_unit_boards import _dept, two_cities  # noqa: F401

pytestmark = pytest.mark.django_db


def announcement(client, user, code: str) -> str:
    client.force_login(user)
    response = client.get(f"/boards/{code}/announcement/")
    assert response.status_code == 200
    return response.content.decode().split("<footer")[0]  # the footer names the viewer's unit as it is now


def test_a_published_announcement_keeps_the_name_of_its_publication(client, two_cities):
    baiyin = two_cities["国网白银供电公司"][1]
    tianshui = two_cities["国网天水供电公司"][1]
    baiyin_dept, tianshui_dept = _dept(baiyin), _dept(tianshui)  # found by the units' names, before the rename
    quarter_publish(quarter=baiyin, user=baiyin_dept)
    baiyin.refresh_from_db()
    assert baiyin.published_unit_name == "国网白银供电公司"
    Unit.objects.filter(name="国网白银供电公司").update(name="甘肃白银新公司")
    Unit.objects.filter(name="国网天水供电公司").update(name="甘肃天水新公司")
    text = announcement(client, baiyin_dept, baiyin.code)
    assert "国网白银供电公司党委党建部" in text and "甘肃白银新公司" not in text
    preview = announcement(client, tianshui_dept, tianshui.code)
    assert "预览稿" in preview and "甘肃天水新公司党委党建部" in preview  # not frozen before publication


def test_the_single_company_signature_is_frozen_too(client, demo, settings):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    old = settings.COMPANY_NAME
    settings.COMPANY_NAME = "改名后的公司"
    text = announcement(client, demo.users["dangjian"], demo.quarter.code)
    assert f"{old}党委党建部" in text and "改名后的公司党委党建部" not in text

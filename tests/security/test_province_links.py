"""No link offered to the province's accounts leads to a 404 (issue 17). The demo's province
(国网甘肃省电力公司) does not evaluate: its 党建部 was offered 新建季度 on the home page and 党委总览
in the menu (both 404 for a unit without quarters of its own), and a city's board opened from the
roll-up dropped `?unit=` in its 通报 and 发布记录 links. Every same-site link of the pages a province
account starts from, and of the pages those lead to, is followed."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from branches.models import Unit, User

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"logout|/static/|/media/|export|download|\.xlsx|/admin/|/i18n/")


@pytest.fixture
def province_demo(db):
    call_command("seed_demo", verbosity=0)
    return {u.username: u for u in User.objects.filter(username__startswith="gansu_")}


def _links(body: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', body) if not SKIP.search(h)}


@pytest.mark.parametrize("username", ["gansu_dangjian", "gansu_lingdao"])
def test_every_link_the_province_is_offered_opens(client, province_demo, username):
    client.force_login(province_demo[username])
    baiyin = Unit.objects.get(name="国网白银供电公司")
    home = client.get("/").content.decode()
    assert "/scoring/quarters/new/" not in home
    assert "/boards/dashboard/overview/" not in home
    starts = ["/", "/boards/", "/rollup/", f"/boards/2018Q4/?unit={baiyin.pk}"]
    seen, broken, frontier = set(), [], list(starts)
    for depth in range(2):
        following = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url, follow=True)
            if response.status_code >= 400:
                broken.append(f"{url}: {response.status_code}")
                continue
            if depth == 0 and "html" in response.get("Content-Type", ""):
                following += sorted(_links(response.content.decode()))
        frontier = following
    assert not broken, broken
    assert len(seen) > 10

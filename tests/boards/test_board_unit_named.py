"""With more than one evaluating unit a board names its unit and keeps it in its links (issue 17):
the province opening 白银's board from the roll-up read only "2031年第1季度红蓝榜", and its 通报 and
发布记录 links dropped `?unit=` and answered 404. The footer names the viewer's own unit (it always
said the installation's company)."""

from __future__ import annotations

import re

import pytest

from boards.models import Board
from branches import roles
from tests.helpers import make_user
from tests.rollup.helpers import BAIYIN, DINGXI, PROVINCE, Line, add_quarter, add_unit, publish_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities(db):
    province = add_unit(PROVINCE, evaluating=False)
    made = {}
    for name in (BAIYIN, DINGXI):
        city = add_unit(name, province)
        publish_rows(
            add_quarter(city, "2031Q1"),
            [Line("营销部党支部", "1", "95.0", 1, Board.RED), Line("运检部党支部", "1", "80.0", 2, Board.BLUE)],
        )
        made[name] = city
    return province, made


def test_the_province_reads_a_citys_board_named_and_its_links_keep_the_unit(client, cities):
    province, made = cities
    baiyin = made[BAIYIN]
    client.force_login(make_user(roles.LEADER, username="gs_lingdao", unit=province))
    response = client.get(f"/boards/2031Q1/?unit={baiyin.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)
    assert BAIYIN in heading and DINGXI not in heading
    links = re.findall(r'href="(/boards/2031Q1/[^"]+)"', body)
    assert links and all(f"unit={baiyin.pk}" in link for link in links)
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


@pytest.mark.parametrize("city", [BAIYIN, DINGXI])
def test_the_footer_names_the_viewers_own_unit(client, cities, city):
    _, made = cities
    other = DINGXI if city == BAIYIN else BAIYIN
    client.force_login(make_user(roles.DEPT, username="dept", unit=made[city]))
    body = client.get("/boards/2031Q1/").content.decode()
    footer = re.search(r"<footer[^>]*>(.*?)</footer>", body, re.S).group(1)
    assert city in footer and other not in footer

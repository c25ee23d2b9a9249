"""The board's cards on the home page."""

from __future__ import annotations

import pytest

from boards.services import quarter_publish

pytestmark = pytest.mark.django_db


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def test_the_dept_is_offered_the_preview_and_publication(client, demo):
    content = home(client, demo.users["dangjian"])
    assert "2019Q1 红蓝榜（未发布）" in content and "/boards/2019Q1/preview/" in content and "预览与发布" in content


def test_the_leadership_may_preview_but_others_see_nothing_before_publication(client, demo):
    assert "预览红蓝榜" in home(client, demo.users["lingdao"])
    for username in ("shuji", "jiancha1"):
        content = home(client, demo.users[username])
        assert "/boards/2019Q1" not in content and "红蓝榜（未发布）" not in content


def test_everyone_sees_the_latest_published_board(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    for username in ("shuji", "jiancha1", "lingdao", "admin", "dangjian"):
        content = home(client, demo.users[username])
        assert "2019年第1季度红蓝榜" in content
        assert "红榜：白银变电运检中心党支部、电力调度中心党总支部、财务部党支部" in content
        assert "蓝榜：平川区供电公司党总支、鸿运物业分公司党支部、营销部党支部" in content
    assert "红蓝榜（未发布）" not in home(client, demo.users["dangjian"])


def test_a_secretary_sees_the_own_branchs_place(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    content = home(client, demo.users["shuji"])
    assert "本组织：Ⅰ类第 9 名，总分 84.30" in content
    assert f"/boards/branch/{demo.users['shuji'].branch_id}/" in content

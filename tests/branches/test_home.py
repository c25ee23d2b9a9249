from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_login_page_speaks_chinese(client):
    response = client.get("/login/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'lang="zh-hans"' in content
    assert "用户名" in content and "密码" in content and "登录" in content


def test_a_wrong_password_is_explained_in_chinese(client, demo):
    response = client.post("/login/", {"username": "dangjian", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("dangjian", "当前季度：2019Q1"),
        ("admin", "进入系统管理"),
        ("shuji", "平川区供电公司党总支"),
        ("lingdao", "您好，陈建国"),
        ("jiancha1", "您好，王磊"),
    ],
)
def test_each_role_logs_in_and_sees_its_home_page(client, demo, username, expected):
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_only_the_dept_sees_the_quarter_card(client, demo):
    client.force_login(demo.users["shuji"])
    assert "当前季度" not in client.get("/").content.decode()


def test_logout_is_a_post(client, demo):
    client.force_login(demo.users["dangjian"])
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_an_english_browser_still_gets_the_chinese_portal(client, demo):
    client.force_login(demo.users["admin"])
    for path in ("/", "/admin/", "/admin/branches/branch/"):
        content = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert 'lang="zh-hans"' in content, path
    assert "选择 党组织 来修改" in client.get("/admin/branches/branch/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_english_is_available_when_chosen(client, demo):
    client.force_login(demo.users["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_the_admin_sidebar_names_third_party_apps_in_chinese(client, demo):
    client.force_login(demo.users["admin"])
    content = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "登录防护" in content and "登录日志" in content
    assert "Access attempts" not in content and "Axes" not in content

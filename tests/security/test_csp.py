"""The main pages carry the production Content-Security-Policy and would not break under it: no
inline <script>, no on*= handler, no style attribute; every script is a file from our own origin."""

from __future__ import annotations

import re

import pytest

from boards.services import quarter_publish

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)
SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=\"([^\"]+)\"", re.I)


def pages(demo) -> dict[str, list[str]]:
    shuji = demo.users["shuji"]
    code = demo.quarter.code
    return {
        "dangjian": [
            "/",
            f"/scoring/q/{code}/",
            f"/scoring/q/{code}/groups/",
            f"/scoring/q/{code}/contributions/",
            "/boards/",
            f"/boards/{code}/",
            f"/boards/{code}/announcement/",
            "/boards/rules/",
            "/boards/adjustments/",
            "/boards/history/",
            f"/boards/branch/{shuji.branch_id}/",
            "/interviews/",
            "/reports/",
        ],
        "jiancha1": ["/", "/scoring/my/"],
        "shuji": ["/", "/interviews/mine/", f"/boards/branch/{shuji.branch_id}/"],
        "lingdao": ["/", "/boards/history/", "/interviews/overview/", "/audit/"],
        "admin": ["/", "/audit/", "/reports/"],
    }


def test_main_pages_render_under_the_production_csp_without_inline_script(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    assert client.get("/login/")["Content-Security-Policy"]
    for username, urls in pages(demo).items():
        client.force_login(demo.users[username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            policy = response["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
            assert "frame-ancestors 'none'" in policy
            assert response["X-Frame-Options"] == "DENY"
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
            assert not HANDLER.search(html), (url, HANDLER.search(html).group(0))
            assert not STYLE_ATTR.search(html), (url, STYLE_ATTR.search(html).group(0))
            for src in SCRIPT_SRC.findall(html):
                assert src.startswith("/static/"), (url, src)


def test_templates_have_no_inline_script_or_handler():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for template in root.glob("*/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), template
        assert not HANDLER.search(text), template


def test_the_admin_pages_need_no_inline_script_or_style_either(client, demo):
    client.force_login(demo.users["admin"])
    shuji = demo.users["shuji"]
    for url in [
        "/admin/",
        "/admin/branches/user/",
        f"/admin/branches/user/{shuji.pk}/change/",
        "/admin/audit/auditevent/",
        "/admin/axes/accessattempt/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html) and not HANDLER.search(html) and not STYLE_ATTR.search(html), url

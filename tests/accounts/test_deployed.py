"""As deployed: gunicorn under production settings, configured only by AUTH_LDAP_* variables, against
the test's own slapd. A member of the dangjian group signs in with the directory password over HTTP and
lands on 党建部's home; removed from the group, the next sign-in has no 党建部 rights. Needs PostgreSQL
(the server process reads the test's database), so it runs in CI and skips on SQLite."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection

from tests import factories
from tests.accounts.slapd import PASSWORD, free_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent


class Browser:
    """A client for a production site behind its TLS proxy: it says X-Forwarded-Proto: https, so it
    keeps the Secure cookies itself (requests would not send them over plain http)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            # The CSRF check of a secure request wants a same-site Referer (no Origin: one would be
            # compared against the scheme the server decided on).
            "Referer": self.base.replace("http://", "https://") + "/login/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def sign_in(self, username: str, password: str) -> requests.Response:
        page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(
            "POST", "/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token}
        )


@pytest.fixture
def deployed(directory, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the server process needs the test database on PostgreSQL (CI)")
    db = connection.settings_dict
    credentials = db["USER"] + (":" + quote(db["PASSWORD"], safe="") if db.get("PASSWORD") else "")
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AUTH_LDAP", "OIDC_", "AXES_"))}
    env.update(
        directory.environ(),
        DJANGO_SETTINGS_MODULE="baiyin_eval.settings.production",
        DJANGO_SECRET_KEY="deployed-test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="memory://",  # required by production; a sign-in queues nothing
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_REVERSE_PROXY_COUNT="0",
        DJANGO_SECURE_SSL_REDIRECT="false",
        AUTH_LOCAL_LOGIN="false",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "baiyin_eval.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                requests.get(base + "/login/", headers={"X-Forwarded-Proto": "https"}, timeout=10)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_deployed_server_signs_in_a_dangjian_member_with_the_directory_password(directory, deployed):
    factories.QuarterFactory(code="2019Q1")
    factories.BranchFactory(name="财务部党支部")
    browser = Browser(deployed)

    response = browser.sign_in("zhangsan", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = browser.request("GET", "/")
    assert home.status_code == 200
    assert "您好，张三" in home.text and "（党建部）" in home.text and "检查组与分配" in home.text
    assert browser.request("GET", "/scoring/q/2019Q1/groups/").status_code == 200

    directory.remove_member("dangjian", "zhangsan")
    browser = Browser(deployed)
    assert browser.sign_in("zhangsan", PASSWORD).status_code == 302
    home = browser.request("GET", "/")
    assert "您好，张三" in home.text and "检查组与分配" not in home.text
    assert browser.request("GET", "/scoring/q/2019Q1/groups/").status_code in (403, 404)

    # AUTH_LOCAL_LOGIN=false here: a local password of an ordinary account is refused.
    local = factories.UserFactory(username="local")
    local.set_password("Local-Pass-2019")
    local.save()
    assert Browser(deployed).sign_in("local", "Local-Pass-2019").status_code == 200

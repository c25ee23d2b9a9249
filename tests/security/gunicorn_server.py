"""A real gunicorn under production settings, started by a test on a free 127.0.0.1 port.

The database is a SQLite file of its own, migrated by `manage.py migrate` as an operator would;
TMPDIR points at an empty directory so a test can see whether anything was spooled to disk.
Connections from 127.0.0.1 are "straight to gunicorn"; 127.0.0.2 is the trusted proxy.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PROXY_ADDRESS = "127.0.0.2"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(base: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "AXES_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="baiyin_eval.settings.production",
        DJANGO_SECRET_KEY="g" * 20 + "-gunicorn-test-only-Kq8#Lp2$Vw9!Zr4%Tn6&",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{base / 'portal.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/4",
        DJANGO_STATIC_ROOT=str(base / "static"),
        DJANGO_MEDIA_ROOT=str(base / "media"),
        DJANGO_REPORTS_ROOT=str(base / "reports"),
        DJANGO_TRUSTED_PROXIES=PROXY_ADDRESS,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Browser:
    """Just enough of a browser: keeps cookies (Secure or not, as the test decides) and the CSRF token."""

    port: int
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_headers: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        raw = conn.getresponse()
        text = raw.read().decode("utf-8", "replace")
        for header in raw.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return Response(raw.status, raw.headers, text)

    def csrf_token(self, path: str = "/login/") -> str:
        page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert match, page.body[:500]
        return match.group(1)

    def post_form(self, path: str, data: dict, headers: dict | None = None) -> Response:
        token = self.csrf_token(path)
        body = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        return self.request(
            "POST",
            path,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )

    def login(self, username: str, password: str, headers: dict | None = None) -> Response:
        return self.post_form("/login/", {"username": username, "password": password}, headers)


class Gunicorn:
    def __init__(self, base: Path, **extra_env: str):
        self.base = base
        self.tmpdir = base / "tmpdir"
        self.tmpdir.mkdir()
        self.env = production_env(base, **extra_env)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def prepare(self) -> list[subprocess.CompletedProcess]:
        """migrate and collectstatic, as the operator runs them; their output is returned."""
        outputs = []
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
            out = manage(self.env, *args)
            assert out.returncode == 0, out.stdout + out.stderr
            outputs.append(out)
        return outputs

    def start(self) -> None:
        env = dict(self.env, TMPDIR=str(self.tmpdir))
        self.log = open(self.base / "gunicorn.log", "wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",  # deploy/gunicorn.conf.py as docker-compose.yml runs it; the flags below override it
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "baiyin_eval.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.base / "gunicorn.log").read_text()
            try:
                if Browser(self.port).request("GET", "/healthz").status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer: " + (self.base / "gunicorn.log").read_text())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def manage(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return manage(self.env, *args, stdin=stdin)

    def temporary_files(self) -> list[str]:
        return sorted(str(p.relative_to(self.tmpdir)) for p in self.tmpdir.rglob("*"))

    def python(self, code: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

"""Real processes for deployment tests: redis-server, an S3-compatible server (moto's), gunicorn
under production settings and a Celery worker, each on a free local port, stopped afterwards."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "x" * 20 + "-two-of-everything-only-Kq8#Lp2$Vw9!Zr4%Tn6&"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port} after {seconds}s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def start(args: list[str], *, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    out = log.open("wb") if log else subprocess.DEVNULL
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


@contextmanager
def redis_server(tmp: Path) -> Iterator[str]:
    port = free_port()
    process = start(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        log=tmp / "redis.log",
    )
    try:
        wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def s3_server(tmp: Path, bucket: str) -> Iterator[str]:
    """moto's standalone server: an S3-compatible endpoint in its own process."""
    port = free_port()
    process = start([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], log=tmp / "s3.log")
    try:
        wait_for_port(port, process)
        endpoint = f"http://127.0.0.1:{port}"
        s3_client(endpoint).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        stop(process)


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "AXES_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="baiyin_eval.settings.production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",  # plain HTTP on the loopback
        **extra,
    )
    return env


@contextmanager
def gunicorn(env: dict[str, str], tmp: Path, name: str) -> Iterator[str]:
    port = free_port()
    process = start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "baiyin_eval.wsgi:application",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        log=tmp / f"{name}.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, process)
        deadline = time.monotonic() + 90  # the worker imports Django on its first boot: slow on a busy machine
        while not _live(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise TimeoutError(f"{name} not live:\n" + (tmp / f"{name}.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        stop(process)


def _live(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=30).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def celery_worker(env: dict[str, str], tmp: Path, queues: str = "celery,exports") -> Iterator[subprocess.Popen]:
    log = tmp / "worker.log"
    process = start(
        [sys.executable, "-m", "celery", "-A", "baiyin_eval", "worker", "-Q", queues, "--pool", "solo", "-l", "INFO"],
        env=env,
        log=log,
    )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield process
    finally:
        stop(process)


class Browser:
    """A person at one web process: a cookie jar sent as plain cookies (the loopback is HTTP)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def _keep(self, response: requests.Response) -> requests.Response:
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._keep(
            requests.get(self.base + path, cookies=self.cookies, allow_redirects=False, timeout=30, **kwargs)
        )

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        token = self.cookies.get("csrftoken") or self._token_from(self.get(path if path != "/login/" else "/login/"))
        headers = {"Referer": self.base + path, **kwargs.pop("headers", {})}
        return self._keep(
            requests.post(
                self.base + path,
                data={"csrfmiddlewaretoken": token, **(data or {})},
                cookies=self.cookies,
                headers=headers,
                allow_redirects=False,
                timeout=60,
                **kwargs,
            )
        )

    def _token_from(self, response: requests.Response) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def login(self, username: str, password: str) -> requests.Response:
        self.get("/login/")
        return self.post("/login/", {"username": username, "password": password})

    def with_session_of(self, other: Browser) -> Browser:
        """The same person's browser sent to another replica by the load balancer."""
        self.cookies = dict(other.cookies)
        return self

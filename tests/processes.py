"""Real processes for the tests that kill things: a private redis-server on a free port, and Celery
worker / beat processes (each in its own process group) pointed at it and at the test database.

Used where the in-process worker fixture (tests.conftest.celery_worker_redis) cannot go: stopping
the broker under a running publication, SIGKILLing a whole worker. They need PostgreSQL (the test
database must be visible to other processes) and run where CI runs its Redis-backed worker tests
(CELERY_TEST_BROKER_URL set).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def require_real_processes() -> None:
    from django.db import connection

    if not os.environ.get("CELERY_TEST_BROKER_URL"):
        pytest.skip("CELERY_TEST_BROKER_URL not set: no real worker processes in this run")
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need PostgreSQL: SQLite's test database is private to this process")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of our own (never the shared one): started, killed and started again on the
    same port, with nothing persisted, so a restart is a broker that lost nothing but its queue."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


def process_env(broker_url: str, **extra: str) -> dict[str, str]:
    """The environment of a worker or beat process: test settings, this test's database, our broker."""
    from django.db import connection

    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="baiyin_eval.settings.test",
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND="",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


class CeleryProcess:
    """`celery -A baiyin_eval worker|beat …` (or a test module's own entry point) in a new session,
    so that killing its process group kills the main process and every pool child."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    @classmethod
    def worker(cls, env: dict[str, str], log: Path, *, module: str | None = None) -> CeleryProcess:
        entry = ["-m", module] if module else ["-m", "celery", "-A", "baiyin_eval"]
        args = [sys.executable, *entry, "worker", "--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO"]
        return cls([*args, "--without-gossip", "--without-mingle", "--hostname", f"test-{free_port()}@%h"], env, log)

    @classmethod
    def beat(cls, env: dict[str, str], log: Path, schedule_dir: Path) -> CeleryProcess:
        args = [sys.executable, "-m", "celery", "-A", "baiyin_eval", "beat", "--loglevel", "INFO"]
        return cls([*args, "--pidfile", str(schedule_dir / "beat.pid")], env, log)

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._log_file.close()

    def stop(self) -> None:
        """Warm shutdown, then the group killed whatever is left."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                pass
        self.kill_group()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until(condition, seconds: float, what: str, *processes: CeleryProcess) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    logs = "\n".join(f"--- {p.log.name}\n{p.output()[-3000:]}" for p in processes)
    raise AssertionError(f"{what}: not after {seconds}s\n{logs}")

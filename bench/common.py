"""What every benchmark shares: the database it runs against, Django set-up, the machine's
description, timing and memory helpers, and the results file the summary reads.

Benchmarks run against DATABASE_URL, else the local PostgreSQL database `baiyin_bench`
(created when missing). Django runs with DEBUG off, so no query log grows in memory.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/baiyin_bench"
BENCH_PASSWORD = "Bench@2026"
# The quarter that is scored, previewed, loaded, exported and published; the import goes to the second.
QUARTER = "2031Q1"
IMPORT_QUARTER = "2031Q2"
# The Redis database publication's follow-ups are queued to (and emptied from) by the benchmarks that
# publish (bench.publish, bench.export_memory): nothing else may use it.
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def bench_env() -> dict[str, str]:
    """The environment of every benchmark process (and of gunicorn in the load test)."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "baiyin_eval.settings.local",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # in-process tasks unless a benchmark sets its own broker
    return env


def ensure_database() -> None:
    """Create the benchmark database on the local server when it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    url = urlparse(database_url())
    name = url.path.lstrip("/")
    params = {"host": url.hostname or "127.0.0.1", "port": url.port or 5432, "user": url.username or "postgres"}
    if url.password:
        params["password"] = url.password
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def setup() -> None:
    """Point Django at the benchmark database and start it."""
    env = bench_env()
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS"):
        os.environ[key] = env[key]
    broker = os.environ.get("BENCH_CELERY_BROKER_URL")
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the machine -----------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return {
        "nproc": str(os.cpu_count()),
        "memory": _memory_gib(),
        "cpu": _cpu_model(),
        "postgresql": pg,
        "python": platform.python_version(),
        "load": _load(),
        "database": connection.settings_dict["NAME"],
    }


def print_machine(title: str) -> dict[str, str]:
    info = machine()
    print(f"== {title}")
    print(
        f"   machine: nproc={info['nproc']} memory={info['memory']} cpu={info['cpu']!r} "
        f"PostgreSQL {info['postgresql']} Python {info['python']} loadavg={info['load']} db={info['database']}"
    )
    return info


# --- measuring -----------------------------------------------------------------------------------


@contextmanager
def timer():
    """`with timer() as t: …` then t() is the elapsed seconds."""
    start = time.perf_counter()
    end = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


def best_of(fn, repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def branch_count() -> int:
    from branches.models import Branch

    return Branch.objects.filter(is_active=True).count()


def record(name: str, n: int, **figures) -> None:
    """Print the figures and keep them for the summary (var/bench/results.json, keyed by N)."""
    print("   " + "  ".join(f"{k}={_fmt(v)}" for k, v in figures.items()))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "results.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data.setdefault(str(n), {})[name] = {**figures, "load": _load(), "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def server_listening(server, host: str, port: int):
    """`server` (a Popen started in its own session) once it accepts connections on host:port;
    stopped, and the benchmark ended, if it exits or does not listen within 30 s."""
    import os
    import signal
    import socket
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not listen within 30 s")

"""The severity report's page (检查组评分宽严度分析) under gunicorn as production runs it
(`gunicorn -c deploy/gunicorn.conf.py`: its worker timeout, 60 s unless GUNICORN_TIMEOUT says
otherwise), one worker on 127.0.0.1:8009: 党建部 logs in and opens /boards/2031Q1/severity/ —
once with the stored result (what bench.severity left), once with none stored (the page shows the
form to start a run, and must not compute the report itself). Prints the status, the time and the
timeout; the median of 5 after a warm-up for the stored one.

    python -m bench.severity && python -m bench.severity_page
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from urllib.parse import urlencode

from bench import common

HOST, PORT = "127.0.0.1", 8009
REPEAT = 5
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def gunicorn_timeout() -> int:
    """The worker timeout deploy/gunicorn.conf.py gives production."""
    namespace: dict = {}
    exec((common.ROOT / "deploy" / "gunicorn.conf.py").read_text(), namespace)  # our own file
    return int(namespace["timeout"])


class Browser:
    """One keep-alive connection with its own cookies."""

    def __init__(self, timeout: float):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str) -> None:
        _status, page = self.request("GET", "/login/")
        token = CSRF_RE.search(page).group(1)
        status, _ = self.request(
            "POST", "/login/", {"username": username, "password": common.BENCH_PASSWORD, "csrfmiddlewaretoken": token}
        )
        if status != 302:
            raise SystemExit(f"login as {username}: HTTP {status}")


def start_server() -> subprocess.Popen:
    env = common.bench_env()
    env.update({"GUNICORN_BIND": f"{HOST}:{PORT}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "1"})
    server = subprocess.Popen(
        [str(common.ROOT / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "baiyin_eval.wsgi"],
        cwd=common.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log
        start_new_session=True,
    )
    return common.server_listening(server, HOST, PORT)


def timed_get(browser: Browser, url: str) -> tuple[int, float, str]:
    start = time.perf_counter()
    try:
        status, page = browser.request("GET", url)
    except (TimeoutError, http.client.HTTPException, OSError) as exc:
        return 0, time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return status, time.perf_counter() - start, page


def main() -> None:
    common.setup()
    from branches.models import User
    from fairness.models import SeverityRun
    from fairness.services import severity_run
    from scoring.models import Quarter

    n = common.branch_count()
    common.print_machine(f"severity page under gunicorn, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    if not SeverityRun.objects.filter(quarter=quarter, status=SeverityRun.Status.DONE).exists():
        raise SystemExit("no stored severity report: run python -m bench.severity first")
    timeout = gunicorn_timeout()
    url = f"/boards/{quarter.code}/severity/"
    server = start_server()
    try:
        browser = Browser(timeout + 10)
        browser.login("bench_dept")
        status, _seconds, page = timed_get(browser, url)  # warm-up
        stored_ok = status == 200 and "比较了什么：" in page
        times = []
        for _ in range(REPEAT):
            status, seconds, page = timed_get(browser, url)
            times.append(seconds)
            stored_ok = stored_ok and status == 200
        stored_ms = statistics.median(times) * 1000
        # No result stored: the page offers a run and computes nothing (the result is stored again after).
        SeverityRun.objects.filter(quarter=quarter).delete()
        empty_status, empty_s, _page = timed_get(browser, url)
        run = SeverityRun.objects.create(quarter=quarter, requested_by=User.objects.get(username="bench_dept"))
        severity_run(run_id=run.pk)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    met = stored_ok and empty_status == 200 and max(max(times), empty_s) < timeout
    print(
        f"   stored result: HTTP {status}, {stored_ms:.1f} ms (median of {REPEAT}); none stored: HTTP {empty_status}, "
        f"{empty_s * 1000:.1f} ms; worker timeout {timeout} s",
        flush=True,
    )
    common.record(
        "severity_page",
        n,
        status=status,
        stored_ms=round(stored_ms, 1),
        none_stored_status=empty_status,
        none_stored_ms=round(empty_s * 1000, 1),
        timeout_s=timeout,
        met=met,
    )
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Saving score sheets under load: 20 concurrent inspectors against gunicorn (2 workers) on
127.0.0.1:8008. Each inspector logs in, then ROUNDS times opens its sheet (GET) and saves new
scores with the version it read (POST). Ten inspectors work alone on a sheet each; the other ten
work in pairs on five shared sheets, so optimistic locking is exercised: a save based on a version
someone else has already replaced is refused with 409 and the editor sees what changed.

Afterwards the database is checked for lost updates: every sheet's version went up by exactly the
number of saves accepted for it, it holds the values of the last accepted save, and its history
has one change per indicator per accepted save. Requests are bounded (20 × ROUNDS × 2 + logins)
and go to the loopback address only.

    python -m bench.sheet_load
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from bench import common

HOST, PORT = "127.0.0.1", 8008
INSPECTORS = 20
PAIRS = 5  # of the 20, ten work in pairs on five shared sheets
ROUNDS = 10
TIMEOUT = 60

VERSION_RE = re.compile(r'name="version" value="(\d+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Inspector:
    username: str
    sheet_id: int
    indicators: list[tuple[int, int]]  # (indicator id, max score in tenths)
    salt: int
    cookies: dict[str, str] = field(default_factory=dict)
    accepted: list[tuple[int, dict[int, Decimal]]] = field(default_factory=list)  # (version saved, values)
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)


class Session:
    """One keep-alive connection with its own cookies, like one browser."""

    def __init__(self, who: Inspector):
        self.who = who
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.who.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.who.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), text


def choose(quarter) -> list[Inspector]:
    """Ten inspectors alone on a sheet each and five pairs sharing one, from the groups' members."""
    from scoring.models import InspectionGroup, ScoreSheet
    from scoring.selectors import scheme_for_category

    groups = list(InspectionGroup.objects.filter(quarter=quarter).prefetch_related("members").order_by("pk"))
    members = {g.pk: sorted(m.username for m in g.members.all()) for g in groups}
    sheets = {g.pk: list(ScoreSheet.objects.filter(group=g).select_related("branch").order_by("pk")) for g in groups}
    schemes = {c: [(i.pk, int(i.max_score * 10)) for i in scheme_for_category(quarter, c)] for c in "123"}
    chosen: list[Inspector] = []

    def take_sheet(group_id):
        sheet = sheets[group_id].pop(0)
        return sheet.pk, schemes[sheet.branch.category]

    pairs = 0
    for g in groups:
        if pairs == PAIRS:
            break
        if len(members[g.pk]) >= 2 and sheets[g.pk]:
            sheet_id, indicators = take_sheet(g.pk)
            for _ in range(2):
                chosen.append(Inspector(members[g.pk].pop(0), sheet_id, indicators, len(chosen)))
            pairs += 1
    for g in groups:
        while members[g.pk] and sheets[g.pk] and len(chosen) < INSPECTORS:
            sheet_id, indicators = take_sheet(g.pk)
            chosen.append(Inspector(members[g.pk].pop(0), sheet_id, indicators, len(chosen)))
    if len(chosen) < INSPECTORS:
        raise SystemExit(f"only {len(chosen)} inspectors could be given a sheet")
    # The chosen sheets are drafts again (the generator submits every sheet).
    ScoreSheet.objects.filter(pk__in={i.sheet_id for i in chosen}).update(status=ScoreSheet.Status.DRAFT)
    return chosen


def values_for(who: Inspector, round_number: int) -> dict[int, Decimal]:
    """Different values every round (and for each inspector of a pair), always within range."""
    out = {}
    for k, (indicator_id, max_tenths) in enumerate(who.indicators):
        tenths = max_tenths // 2 + (round_number * 7 + who.salt * 3 + k) % (max_tenths // 2)
        out[indicator_id] = Decimal(tenths) / 10
    return out


def work(who: Inspector, start: threading.Barrier) -> None:
    try:
        session = Session(who)
        status, _, page = session.request("GET", "/login/")
        token = CSRF_RE.search(page).group(1)
        status, location, _ = session.request(
            "POST",
            "/login/",
            {"username": who.username, "password": common.BENCH_PASSWORD, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            who.errors.append(f"login {status}")
            return
        start.wait()
        url = f"/scoring/sheets/{who.sheet_id}/"
        for round_number in range(ROUNDS):
            t0 = time.perf_counter()
            status, _, page = session.request("GET", url)
            who.get_ms.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                who.errors.append(f"GET {status}")
                continue
            version = int(VERSION_RE.search(page).group(1))
            values = values_for(who, round_number)
            body = {
                "version": version,
                "action": "save",
                "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
                "problem-TOTAL_FORMS": "0",
                "problem-INITIAL_FORMS": "0",
                "problem-MIN_NUM_FORMS": "0",
                "problem-MAX_NUM_FORMS": "200",
            }
            for indicator_id, value in values.items():
                body[f"score_{indicator_id}"] = str(value)
                body[f"note_{indicator_id}"] = ""
                body[f"methods_{indicator_id}"] = ["records", "account"]
            t0 = time.perf_counter()
            status, location, _ = session.request("POST", f"{url}save/", body)
            who.post_ms.append((time.perf_counter() - t0) * 1000)
            if status == 302 and location.endswith(url):
                who.accepted.append((version + 1, values))
            elif status == 409:
                who.refused += 1  # someone saved in between: refused and shown, not lost
            else:
                who.errors.append(f"POST {status}")
    except Exception as exc:  # a dropped connection or a page without its form is an error
        who.errors.append(f"{type(exc).__name__}: {exc}")


def start_server() -> subprocess.Popen:
    env = common.bench_env()
    server = subprocess.Popen(
        [
            str(common.ROOT / ".venv" / "bin" / "gunicorn"),
            "baiyin_eval.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=common.ROOT,
        env=env,
        start_new_session=True,
    )
    return common.server_listening(server, HOST, PORT)


def stored_values(sheet_ids) -> dict[int, dict[int, Decimal]]:
    from scoring.models import Score

    out: dict[int, dict[int, Decimal]] = {}
    for sheet_id, indicator_id, value in Score.objects.filter(sheet_id__in=sheet_ids).values_list(
        "sheet_id", "indicator_id", "value"
    ):
        out.setdefault(sheet_id, {})[indicator_id] = value
    return out


def verify(inspectors: list[Inspector], versions_before: dict[int, int], before: dict[int, dict]) -> list[str]:
    """Lost updates, looked for in the database."""
    from scoring.models import Score, ScoreChange, ScoreSheet

    problems = []
    by_sheet: dict[int, list[Inspector]] = {}
    for who in inspectors:
        by_sheet.setdefault(who.sheet_id, []).append(who)
    for sheet_id, editors in by_sheet.items():
        accepted = sorted((save for who in editors for save in who.accepted), key=lambda s: s[0])
        sheet = ScoreSheet.objects.get(pk=sheet_id)
        expected_version = versions_before[sheet_id] + len(accepted)
        if sheet.version != expected_version:
            problems.append(f"sheet {sheet_id}: version {sheet.version}, expected {expected_version}")
        if [v for v, _ in accepted] != list(range(versions_before[sheet_id] + 1, expected_version + 1)):
            problems.append(f"sheet {sheet_id}: two saves accepted on the same version")
        if accepted:
            stored = dict(Score.objects.filter(sheet_id=sheet_id).values_list("indicator_id", "value"))
            last = accepted[-1][1]
            if any(stored.get(k) != v for k, v in last.items()):
                problems.append(f"sheet {sheet_id}: stored values are not those of the last accepted save")
        changes = ScoreChange.objects.filter(
            sheet_id=sheet_id, version__gt=versions_before[sheet_id], field=ScoreChange.Field.SCORE
        ).count()
        previous = before.get(sheet_id, {})
        expected_changes = 0
        for _, values in accepted:
            expected_changes += sum(1 for k, v in values.items() if previous.get(k) != v)
            previous = values
        if changes != expected_changes:
            problems.append(f"sheet {sheet_id}: {changes} score changes recorded, {expected_changes} expected")
    return problems


def main() -> None:
    common.setup()
    from scoring.models import Quarter, ScoreSheet

    n = common.branch_count()
    common.print_machine(f"score sheet saves under load, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    if not quarter.is_scoring:
        raise SystemExit(f"quarter {quarter.code} is not being scored (published?): run bench.generate again")
    inspectors = choose(quarter)
    versions_before = dict(
        ScoreSheet.objects.filter(pk__in={i.sheet_id for i in inspectors}).values_list("pk", "version")
    )
    before = stored_values(versions_before)
    server = start_server()
    try:
        barrier = threading.Barrier(len(inspectors) + 1)
        threads = [threading.Thread(target=work, args=(who, barrier)) for who in inspectors]
        for thread in threads:
            thread.start()
        try:
            barrier.wait(timeout=120)  # everyone logged in
        except threading.BrokenBarrierError:
            pass
        started = time.perf_counter()
        for thread in threads:
            thread.join(timeout=300)
        wall = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    posts = sorted(ms for who in inspectors for ms in who.post_ms)
    gets = sorted(ms for who in inspectors for ms in who.get_ms)
    accepted = sum(len(who.accepted) for who in inspectors)
    refused = sum(who.refused for who in inspectors)
    errors = [e for who in inspectors for e in who.errors]
    lost = verify(inspectors, versions_before, before)
    # Cleanup: the sheets go back to 已提交, as the generator left them, so the steps after this one
    # (the export, publication) measure a fully submitted quarter (publication refuses drafts).
    ScoreSheet.objects.filter(pk__in=versions_before).update(status=ScoreSheet.Status.SUBMITTED)

    def p95(values):
        return round(statistics.quantiles(values, n=20)[-1], 1) if len(values) >= 2 else None

    common.record(
        "sheet_load",
        n,
        inspectors=len(inspectors),
        requests=len(posts) + len(gets),
        saves_accepted=accepted,
        saves_refused_stale=refused,
        errors=len(errors),
        lost_updates=len(lost),
        save_p50_ms=round(statistics.median(posts), 1) if posts else None,
        save_p95_ms=p95(posts),
        get_p95_ms=p95(gets),
        requests_per_s=round((len(posts) + len(gets)) / wall, 1),
        saves_per_s=round(len(posts) / wall, 1),
        wall_s=round(wall, 2),
    )
    for line in errors[:5] + lost[:5]:
        print(f"   !! {line}")
    if errors or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""bench/units.py's generator: the State Grid tree of issue 17 written with COPY (see bench/units.py)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

from bench import common
from bench.generate import _recreate_database, _reset_sequences, copy_rows

CODE = "2031Q1"
PREVIOUS = "2030Q4"
PROVINCES = 27
CITIES = 14  # per province
COUNTIES = 3  # per city
BRANCHES = 44_000
HQ_BRANCHES = 150
PROVINCE_BRANCHES = 40
CITY_BRANCHES = 36  # half of them in the city's non-evaluating department unit
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # django-treebeard's MP_Node default

# Branch names every unit has (like every company's 办公室党支部): names repeat across units.
NAMES = ["办公室", "财务部", "营销部", "人资部", "安监部", "运检部", "物资部", "党建部", "调控中心", "客服中心"]


def _step(n: int) -> str:
    out = ""
    for _ in range(STEPLEN):
        n, r = divmod(n, len(ALPHABET))
        out = ALPHABET[r] + out
    return out


def _tree() -> list[dict]:
    """Every unit: id, path, depth, numchild, name, is_evaluating, the evaluating unit, branch count."""
    units: list[dict] = []

    def add(path: str, name: str, evaluating: bool, branches: int, parent: dict | None) -> dict:
        unit = {
            "id": len(units) + 1,
            "path": path,
            "depth": len(path) // STEPLEN,
            "numchild": 0,
            "name": name,
            "is_evaluating": evaluating,
            "branches": branches,
            "parent": parent,
        }
        unit["evaluating_unit_id"] = unit["id"] if evaluating else parent["evaluating_unit_id"]
        if parent is not None:
            parent["numchild"] += 1
        units.append(unit)
        return unit

    counties = PROVINCES * CITIES * COUNTIES
    rest = BRANCHES - HQ_BRANCHES - PROVINCES * PROVINCE_BRANCHES - PROVINCES * CITIES * CITY_BRANCHES
    per_county, extra = divmod(rest, counties)
    hq = add(_step(1), "国家电网有限公司", True, HQ_BRANCHES, None)
    county_index = 0
    for p in range(1, PROVINCES + 1):
        province = add(hq["path"] + _step(p), f"省公司{p:02d}", True, PROVINCE_BRANCHES, hq)
        for c in range(1, CITIES + 1):
            city = add(province["path"] + _step(c), f"省公司{p:02d}地市{c:02d}", True, CITY_BRANCHES // 2, province)
            add(city["path"] + _step(1), f"{city['name']}本部", False, CITY_BRANCHES - CITY_BRANCHES // 2, city)
            for k in range(1, COUNTIES + 1):
                branches = per_county + (1 if county_index < extra else 0)
                county_index += 1
                add(city["path"] + _step(1 + k), f"{city['name']}县{k}", True, branches, city)
    return units


def populate(seed: int = 2031) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from boards.models import BoardEntry
    from branches import roles
    from branches.models import Branch, Unit, User
    from interviews.models import Interview, ItemStatus, RectificationItem
    from scoring.default_scheme import default_indicator_rows
    from scoring.models import Indicator, Quarter, Score, ScoreSheet

    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat()
    counts: dict[str, int] = {}
    units = _tree()
    evaluating = [u for u in units if u["is_evaluating"]]
    scheme = default_indicator_rows()

    with transaction.atomic():
        counts["units"] = copy_rows(
            Unit,
            ["id", "path", "depth", "numchild", "name", "is_evaluating", "evaluating_unit_id"],
            (
                (u["id"], u["path"], u["depth"], u["numchild"], u["name"], u["is_evaluating"], u["evaluating_unit_id"])
                for u in units
            ),
        )
        counts["evaluating_units"] = len(evaluating)

        # Branches: category by position; the names repeat in every unit, never within one.
        branches: list[tuple[int, int, int, str, str]] = []  # id, unit, evaluating unit, name, category
        per_evaluating: dict[int, list[int]] = {u["id"]: [] for u in evaluating}
        for u in units:
            for i in range(u["branches"]):
                name = f"{NAMES[i % len(NAMES)]}{'' if i < len(NAMES) else i // len(NAMES)}党支部"
                if not u["is_evaluating"]:
                    name = f"本部{name}"
                branch_id = len(branches) + 1
                branches.append((branch_id, u["id"], u["evaluating_unit_id"], name, "123"[i % 3]))
                per_evaluating[u["evaluating_unit_id"]].append(branch_id)
        counts["branches"] = copy_rows(
            Branch,
            ["id", "name", "kind", "category", "unit_id", "evaluating_unit_id", "is_active"],
            ((b, name, "branch", category, unit, ev, True) for b, unit, ev, name, category in branches),
        )
        by_id = {b[0]: b for b in branches}

        # Quarters: 2030Q4 published everywhere, 2031Q1 published in nine units of ten.
        quarter_rows = []
        quarter_of: dict[tuple[int, str], int] = {}
        for u in evaluating:
            for code, status in ((PREVIOUS, "published"), (CODE, "scoring" if u["id"] % 10 == 3 else "published")):
                year, number = Quarter.parse_code(code)
                qid = len(quarter_rows) + 1
                quarter_of[(u["id"], code)] = qid
                published_name = u["name"] if status == "published" else ""  # the name frozen at publication
                quarter_rows.append((qid, u["id"], code, year, number, status, now, now, "5.00", False, published_name))
        counts["quarters"] = copy_rows(
            Quarter,
            [
                "id",
                "unit_id",
                "code",
                "year",
                "number",
                "status",
                "created_at",
                "opened_at",
                "contribution_cap",
                "is_template",
                "published_unit_name",
            ],
            quarter_rows,
        )
        # The default scheme in each unit's 2031Q1 (what is scored).
        indicator_rows = []
        indicators_of: dict[int, dict[str, list[tuple[int, int]]]] = {}
        for u in evaluating:
            qid = quarter_of[(u["id"], CODE)]
            own: dict[str, list[tuple[int, int]]] = {"": [], "1": [], "2": [], "3": []}
            for row in scheme:
                iid = len(indicator_rows) + 1
                indicator_rows.append(
                    (iid, qid, row["category"], row["code"], row["name"], row["max_score"], "", row["position"])
                )
                own[row["category"]].append((iid, int(row["max_score"] * 10)))
            indicators_of[qid] = {c: own[""] + own[c] for c in "123"}
        counts["indicators"] = copy_rows(
            Indicator,
            ["id", "quarter_id", "category", "code", "name", "max_score", "guidance", "position"],
            indicator_rows,
        )

        # One submitted sheet per branch (党建部's entry, no group), every indicator scored.
        sheets = []  # sheet id, quarter id, branch id
        for u in evaluating:
            qid = quarter_of[(u["id"], CODE)]
            for branch_id in per_evaluating[u["id"]]:
                sheets.append((len(sheets) + 1, qid, branch_id))
        counts["sheets"] = copy_rows(
            ScoreSheet,
            ["id", "quarter_id", "branch_id", "status", "version", "submitted_at", "return_reason", "updated_at"],
            ((sid, qid, bid, "submitted", 1, now, "", now) for sid, qid, bid in sheets),
        )
        totals: dict[int, Decimal] = {}

        def score_rows():
            for sid, qid, bid in sheets:
                total = Decimal(0)
                for indicator_id, tenths in indicators_of[qid][by_id[bid][4]]:
                    value = Decimal(rng.randint(tenths * 7 // 10, tenths)) / 10
                    total += value
                    yield (sid, indicator_id, value, "records", "")
                totals[bid] = total

        counts["scores"] = copy_rows(Score, ["sheet_id", "indicator_id", "value", "methods", "note"], score_rows())

        # Published boards, as publication leaves them: ranked within each unit's categories.
        entries = []
        blue_entries: list[tuple[int, int]] = []  # (2031Q1 quarter id, branch id) on the blue board
        unit_names = {u["id"]: u["name"] for u in units}
        for u in evaluating:
            for code in (PREVIOUS, CODE):
                qid = quarter_of[(u["id"], code)]
                if code == CODE and u["id"] % 10 == 3:
                    continue
                for category in "123":
                    ids = [b for b in per_evaluating[u["id"]] if by_id[b][4] == category]
                    if code == PREVIOUS:
                        scored = {b: Decimal(rng.randint(800, 990)) / 10 for b in ids}
                    else:
                        scored = {b: totals[b] for b in ids}
                    ranked = sorted(ids, key=lambda b: (-scored[b], by_id[b][3]))
                    for rank, b in enumerate(ranked, start=1):
                        board = "red" if rank == 1 else "blue" if rank == len(ranked) and len(ranked) > 1 else ""
                        if board == "blue" and code == CODE:
                            blue_entries.append((qid, b))
                        entries.append(
                            (
                                qid,
                                b,
                                by_id[b][3],
                                by_id[b][1],
                                unit_names[by_id[b][1]],
                                category,
                                "ranked",
                                scored[b],
                                0,
                                scored[b],
                                rank,
                                board,
                                Decimal("1.50") if board == "red" else Decimal("-1.50") if board else 0,
                                "",
                            )
                        )
        counts["board_entries"] = copy_rows(
            BoardEntry,
            [
                "quarter_id",
                "branch_id",
                "branch_name",
                "unit_id",
                "unit_name",
                "category",
                "status",
                "indicator_total",
                "contribution",
                "total",
                "rank",
                "board",
                "adjustment",
                "note",
            ],
            entries,
        )
        # Each blue-board branch's interview with three rectification items, some overdue.
        counts["interviews"] = copy_rows(
            Interview,
            ["id", "quarter_id", "branch_id", "place", "minutes", "created_at"],
            ((k + 1, qid, bid, "", "", now) for k, (qid, bid) in enumerate(blue_entries)),
        )
        statuses = [ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS, ItemStatus.PENDING]
        past, future = date(2031, 5, 1), date(2099, 1, 1)
        counts["rectification_items"] = copy_rows(
            RectificationItem,
            [
                "interview_id",
                "description",
                "measure",
                "deadline",
                "responsible",
                "progress",
                "status",
                "return_reason",
                "no_evidence_reason",
                "position",
                "created_at",
                "updated_at",
            ],
            (
                (
                    k + 1,
                    f"基准整改事项{j}",
                    "",
                    past if (k + j) % 4 == 0 else future,
                    "",
                    "",
                    statuses[j],
                    "",
                    "",
                    j,
                    now,
                    now,
                )
                for k in range(len(blue_entries))
                for j in range(3)
            ),
        )

        # 党建部 at the top, a province, a city and a county; leadership at the top.
        password = make_password(common.BENCH_PASSWORD)
        role_ids = dict(Group.objects.values_list("name", "id"))
        city = next(u for u in evaluating if u["depth"] == 3 and u["id"] % 10 != 3)
        county = next(u for u in evaluating if u["depth"] == 4)
        people = [
            (1, "bench_hq_dept", units[0]["id"], roles.DEPT),
            (2, "bench_province_dept", units[1]["id"], roles.DEPT),
            (3, "bench_city_dept", city["id"], roles.DEPT),
            (4, "bench_county_dept", county["id"], roles.DEPT),
            (5, "bench_hq_leader", units[0]["id"], roles.LEADER),
        ]
        copy_rows(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "name",
                "unit_id",
                "is_emergency_admin",
            ],
            (
                (uid, password, False, name, "", "", "", False, True, now, name, unit, False)
                for uid, name, unit, _r in people
            ),
        )
        copy_rows(User.groups.through, ["user_id", "group_id"], ((uid, role_ids[r]) for uid, _n, _u, r in people))
        _reset_sequences(Unit, Branch, User, Quarter, Indicator, ScoreSheet, BoardEntry, Interview, RectificationItem)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return counts


def generate() -> None:
    with common.timer() as recreate:
        _recreate_database()
    common.setup()
    common.print_machine("units generate")
    with common.timer() as fill:
        counts = populate()
    print(f"   database rebuilt from the migrated template in {recreate():.1f} s")
    common.record("units_generate", BRANCHES, seconds=round(fill(), 2), **counts)

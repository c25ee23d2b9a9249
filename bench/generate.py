"""A synthetic national organisation, written straight to PostgreSQL with COPY.

    python -m bench.generate 50000

Rebuilds the benchmark database from scratch (refused unless its name contains "bench"): a fresh
copy of a migrated template database, then N active branches spread over the three categories,
the default scheme (quarter 2031Q1, scoring; 2031Q2, scoring and empty, for the import), one
inspection group per ~500 branches of a category with at least 20 inspectors in all, a complete
submitted sheet for every branch (1 % of branches also scored by a second group, so the board
averages), a problem on every fourth branch, contribution points on every twentieth.
"""

from __future__ import annotations

import io
import math
import random
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlparse

from bench import common


def _recreate_database() -> None:
    """DROP the benchmark database and CREATE it again from a migrated template."""
    import psycopg2
    from psycopg2 import sql

    url = urlparse(common.database_url())
    name = url.path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"Refusing to rebuild database {name!r}: the generator drops it. "
            "Point BENCH_DATABASE_URL at a database whose name contains 'bench'."
        )
    template = f"{name}_template"
    params = {"host": url.hostname or "127.0.0.1", "port": url.port or 5432, "user": url.username or "postgres"}
    if url.password:
        params["password"] = url.password
    conn = psycopg2.connect(dbname="postgres", **params)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    # Migrate the template (a no-op when it is up to date), then copy it: faster than migrating anew.
    env = common.bench_env()
    env["DATABASE_URL"] = url._replace(path=f"/{template}").geturl()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=common.ROOT, env=env, check=True
    )
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    conn.close()


def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into the model's table. Returns the row count."""
    from django.db import connection

    table = model._meta.db_table
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    with connection.cursor() as cur:
        cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _reset_sequences(*models) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for model in models:
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )


def populate(n: int, seed: int = 2031) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from branches import roles, units
    from branches.models import Branch, Unit, User
    from scoring.models import ContributionPoint, InspectionGroup, Problem, Quarter, Score, ScoreSheet
    from scoring.selectors import scheme_for_category
    from scoring.services import quarter_create, quarter_transition

    rng = random.Random(seed)
    now = datetime.now(UTC).isoformat()
    password = make_password(common.BENCH_PASSWORD)  # one hash for every synthetic account
    role_ids = dict(Group.objects.values_list("name", "id"))
    counts: dict[str, int] = {}

    with transaction.atomic():
        quarter = quarter_transition(quarter=quarter_create(code=common.QUARTER), to=Quarter.Status.SCORING)
        second = quarter_transition(quarter=quarter_create(code=common.IMPORT_QUARTER), to=Quarter.Status.SCORING)
        schemes = {c: scheme_for_category(quarter, c) for c in ("1", "2", "3")}

        # Units and branches: category by position, so every size has all three.
        unit0 = _next_id(Unit)
        n_units = max(3, math.ceil(n / 20))
        # Under the company's root unit, which evaluates them all (issue 17's single-company tree):
        # treebeard's materialized path written directly, the root's child count set to match.
        root = units.default_unit()
        first_step = root.numchild + 1
        counts["units"] = copy_rows(
            Unit,
            ["id", "name", "path", "depth", "numchild", "is_evaluating", "evaluating_unit_id"],
            (
                (
                    unit0 + u,
                    f"基准单位{u:05d}",
                    Unit._get_path(root.path, root.depth + 1, first_step + u),
                    root.depth + 1,
                    0,
                    False,
                    root.pk,
                )
                for u in range(n_units)
            ),
        )
        Unit.objects.filter(pk=root.pk).update(numchild=root.numchild + n_units)
        branch0 = _next_id(Branch)
        categories = ["123"[i % 3] for i in range(n)]
        counts["branches"] = copy_rows(
            Branch,
            ["id", "name", "kind", "category", "unit_id", "evaluating_unit_id", "is_active"],
            (
                (
                    branch0 + i,
                    f"基准{categories[i]}类{i:06d}党支部",
                    "general" if i % 10 == 0 else "branch",
                    categories[i],
                    unit0 + i % n_units,
                    root.pk,
                    True,
                )
                for i in range(n)
            ),
        )
        by_category = {c: [branch0 + i for i in range(n) if categories[i] == c] for c in "123"}

        # Groups: one per ~500 branches of a category; members enough for 20 concurrent inspectors.
        per_category = max(1, math.ceil(n / 1500))
        n_groups = 3 * per_category
        members_per_group = max(3, math.ceil(20 / n_groups))
        user0 = _next_id(User)
        users = []
        group_members: dict[int, list[int]] = {}
        group0 = _next_id(InspectionGroup)
        group_category = {}
        for g in range(n_groups):
            category = "123"[g % 3]
            group_category[group0 + g] = category
            other = by_category["123"[(g + 1) % 3]]  # inspectors belong to a branch of another category
            ids = []
            for m in range(members_per_group):
                uid = user0 + len(users)
                users.append((uid, f"bench_g{g:03d}_m{m}", f"检查员{g:03d}-{m}", other[(g * 7 + m) % len(other)]))
                ids.append(uid)
            group_members[group0 + g] = ids
        dept_id = user0 + len(users)
        users.append((dept_id, "bench_dept", "党建部基准账号", None))
        counts["users"] = copy_rows(
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
                "is_emergency_admin",
                "date_joined",
                "name",
                "branch_id",
            ],
            (
                (uid, password, False, username, "", "", "", False, True, False, now, name, branch)
                for uid, username, name, branch in users
            ),
        )
        copy_rows(
            User.groups.through,
            ["user_id", "group_id"],
            [(uid, role_ids[roles.INSPECTOR]) for uid, *_ in users[:-1]] + [(dept_id, role_ids[roles.DEPT])],
        )
        copy_rows(
            InspectionGroup,
            ["id", "quarter_id", "name", "leader_id"],
            ((gid, quarter.pk, f"基准第{gid - group0 + 1:03d}检查组", ids[0]) for gid, ids in group_members.items()),
        )
        copy_rows(
            InspectionGroup.members.through,
            ["inspectiongroup_id", "user_id"],
            ((gid, uid) for gid, ids in group_members.items() for uid in ids),
        )
        counts["groups"] = n_groups

        # Sheets: each branch to a group of its category; every hundredth also to a second group.
        groups_of = {c: [gid for gid, gc in group_category.items() if gc == c] for c in "123"}
        sheets = []  # (sheet id, branch id, category, group id)
        sheet0 = _next_id(ScoreSheet)
        for c in "123":
            groups = groups_of[c]
            for k, branch_id in enumerate(by_category[c]):
                sheets.append((sheet0 + len(sheets), branch_id, c, groups[k % len(groups)]))
                if k % 100 == 7 and len(groups) > 1:
                    sheets.append((sheet0 + len(sheets), branch_id, c, groups[(k + 1) % len(groups)]))
        leader = {gid: ids[0] for gid, ids in group_members.items()}
        counts["sheets"] = copy_rows(
            ScoreSheet,
            [
                "id",
                "quarter_id",
                "branch_id",
                "group_id",
                "status",
                "version",
                "submitted_at",
                "submitted_by_id",
                "return_reason",
                "updated_at",
            ],
            ((sid, quarter.pk, bid, gid, "submitted", 1, now, leader[gid], "", now) for sid, bid, _c, gid in sheets),
        )
        maxima = {c: [(i.pk, int(i.max_score * 10)) for i in schemes[c]] for c in "123"}

        def score_rows():
            for sid, _bid, c, _gid in sheets:
                for indicator_id, max_tenths in maxima[c]:
                    value = Decimal(rng.randint(max_tenths * 6 // 10, max_tenths)) / 10
                    yield (sid, indicator_id, value, "records,account", "")

        counts["scores"] = copy_rows(Score, ["sheet_id", "indicator_id", "value", "methods", "note"], score_rows())
        counts["problems"] = copy_rows(
            Problem,
            ["sheet_id", "indicator_id", "description", "count", "created_by_id", "created_at"],
            (
                (sid, maxima[c][k % len(maxima[c])][0], f"基准问题：台账记录不完整（{k}）", 1, leader[gid], now)
                for k, (sid, _bid, c, gid) in enumerate(sheets)
                if k % 4 == 0
            ),
        )
        counts["contributions"] = copy_rows(
            ContributionPoint,
            ["quarter_id", "branch_id", "points", "reason", "created_by_id", "created_at"],
            (
                (quarter.pk, branch0 + i, Decimal("0.5") * (1 + i % 3), "基准贡献度积分", dept_id, now)
                for i in range(0, n, 20)
            ),
        )
        _reset_sequences(Unit, Branch, User, InspectionGroup, ScoreSheet)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    counts["quarter"] = quarter.pk
    counts["second_quarter"] = second.pk
    return counts


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of active branches")
    args = parser.parse_args(argv)
    with common.timer() as recreate:
        _recreate_database()
    common.setup()
    common.print_machine(f"generate N={args.n}")
    with common.timer() as fill:
        counts = populate(args.n)
    print(f"   database rebuilt from the migrated template in {recreate():.1f} s")
    common.record(
        "generate",
        args.n,
        seconds=round(fill(), 2),
        **{k: v for k, v in counts.items() if k not in ("quarter", "second_quarter")},
    )


if __name__ == "__main__":
    main()

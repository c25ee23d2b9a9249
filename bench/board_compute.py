"""Board computation for a whole quarter: boards.selectors.board_compute against the floor the
database sets — one hand-written SQL query computing the same totals and per-category ranks
with window functions. Prints both times (best of 3, same run), the ratio, and checks that both
agree on every ranked branch's total and rank.

    python -m bench.board_compute
"""

from __future__ import annotations

from decimal import Decimal

from bench import common

# The same rules as boards.ranking, written once more in SQL for the comparison only: the mean of
# the groups' scores per indicator (submitted sheets only), their sum rounded to cents, plus the contribution points
# rounded to cents; ranked within the category (RANK: 1, 2, 2, 4) when every indicator of the
# branch's category is scored and the branch is not excluded.
FLOOR_SQL = """
WITH required AS (
    SELECT c.category, COUNT(*) AS n
    FROM (VALUES ('1'), ('2'), ('3')) AS c(category)
    JOIN scoring_indicator i ON i.quarter_id = %(quarter)s AND (i.category = '' OR i.category = c.category)
    GROUP BY c.category
),
means AS (
    SELECT s.branch_id, sc.indicator_id, AVG(sc.value) AS mean
    FROM scoring_score sc
    JOIN scoring_scoresheet s ON s.id = sc.sheet_id
    JOIN scoring_indicator i ON i.id = sc.indicator_id
    JOIN branches_branch b ON b.id = s.branch_id
    WHERE s.quarter_id = %(quarter)s AND s.status = 'submitted' AND sc.value IS NOT NULL
      AND (i.category = '' OR i.category = b.category)
    GROUP BY s.branch_id, sc.indicator_id
),
items AS (
    SELECT branch_id, mean AS amount, TRUE AS is_score FROM means
    UNION ALL
    SELECT branch_id, points, FALSE FROM scoring_contributionpoint WHERE quarter_id = %(quarter)s
),
sums AS (
    SELECT branch_id,
           ROUND(SUM(amount) FILTER (WHERE is_score), 2) AS subtotal,
           ROUND(COALESCE(SUM(amount) FILTER (WHERE NOT is_score), 0), 2) AS points,
           COUNT(*) FILTER (WHERE is_score) AS scored
    FROM items GROUP BY branch_id
),
totals AS (
    SELECT b.id, b.category, ROUND(s.subtotal + s.points, 2) AS total
    FROM sums s
    JOIN branches_branch b ON b.id = s.branch_id
    JOIN required r ON r.category = b.category AND s.scored = r.n
    WHERE b.is_active
      AND NOT EXISTS (SELECT 1 FROM boards_exclusion e WHERE e.quarter_id = %(quarter)s AND e.branch_id = b.id)
)
SELECT id, category, total, RANK() OVER (PARTITION BY category ORDER BY total DESC) AS rank FROM totals
"""


def floor_query(quarter_id: int) -> list[tuple[int, str, Decimal, int]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(FLOOR_SQL, {"quarter": quarter_id})
        return cur.fetchall()


def main() -> None:
    common.setup()
    from boards.selectors import board_compute
    from scoring.models import Quarter

    n = common.branch_count()
    common.print_machine(f"board computation, N={n}")
    quarter = Quarter.objects.get(code=common.QUARTER)
    floor_query(quarter.pk)  # warm the cache for both
    python_s, categories = common.best_of(lambda: board_compute(quarter), 3)
    sql_s, rows = common.best_of(lambda: floor_query(quarter.pk), 3)
    ours = {r.branch_id: (r.total, r.rank) for c in categories for r in c.ranking}
    floor = {branch_id: (total, rank) for branch_id, _c, total, rank in rows}
    agree = ours == floor
    print(f"   board_compute {python_s * 1000:.0f} ms   hand-written SQL {sql_s * 1000:.0f} ms")
    common.record(
        "board_compute",
        n,
        board_compute_s=round(python_s, 3),
        sql_floor_s=round(sql_s, 3),
        ratio=round(python_s / sql_s, 2),
        ranked=len(ours),
        same_result=agree,
    )
    if not agree:
        differ = [k for k in ours.keys() | floor.keys() if ours.get(k) != floor.get(k)][:5]
        raise SystemExit(f"board_compute and the SQL floor disagree, e.g. branches {differ}")


if __name__ == "__main__":
    main()

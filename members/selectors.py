"""党员积分 reads: calendar quarters of the ledger, the member ranking, the ledger's pages and the
published rankings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum

from baiyin_eval.numbers import TENTH
from branches.models import Branch
from members.models import MemberPoint, MemberRanking, PartyMember

LEDGER_PAGE_SIZE = 30


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_dates(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, 3 * number - 2, 1)
    end = datetime.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1) - datetime.timedelta(days=1)
    return start, end


def quarter_code(year: int, number: int) -> str:
    return f"{year}Q{number}"


def parse_quarter(code: str | None) -> tuple[int, int] | None:
    code = (code or "").strip().upper()
    if len(code) == 6 and code[:4].isdigit() and code[4] == "Q" and code[5] in "1234":
        return int(code[:4]), int(code[5])
    return None


@dataclass
class MemberRankRow:
    rank: int
    member_id: int
    name: str
    duty: str
    points: Decimal
    entries: int


def member_ranking(branch: Branch, year: int, number: int) -> list[MemberRankRow]:
    """The branch's members by points in the quarter, highest first; equal points share a rank
    (1, 2, 2, 4). Members no longer on the roll appear only if they had points. One query."""
    start, end = quarter_dates(year, number)
    in_quarter = Q(points__date__gte=start, points__date__lte=end)
    members = (
        PartyMember.objects.filter(branch=branch)
        .annotate(total=Sum("points__points", filter=in_quarter), n=Count("points", filter=in_quarter))
        .filter(Q(is_active=True) | Q(n__gt=0))
        .values_list("id", "name", "duty", "total", "n")
    )
    ordered = sorted(
        ((pk, name, duty, (total or Decimal("0")).quantize(TENTH), n) for pk, name, duty, total, n in members),
        key=lambda m: (-m[3], m[1]),
    )
    rows: list[MemberRankRow] = []
    for position, (pk, name, duty, total, n) in enumerate(ordered):
        rank = rows[-1].rank if rows and rows[-1].points == total else position + 1
        rows.append(MemberRankRow(rank=rank, member_id=pk, name=name, duty=duty, points=total, entries=n))
    return rows


def ledger_page(branch: Branch, page: str | None) -> Page:
    """The branch's ledger, latest first, one page. Two queries."""
    lines = MemberPoint.objects.filter(member__branch=branch).select_related("member", "recorded_by")
    return Paginator(lines.order_by("-date", "-id"), LEDGER_PAGE_SIZE).get_page(page)


def ledger_quarters(branch: Branch) -> list[tuple[int, int]]:
    """The quarters the ledger has lines in, latest first. One query."""
    return sorted(
        {quarter_of(d) for d in MemberPoint.objects.filter(member__branch=branch).dates("date", "month")},
        reverse=True,
    )


def published_rankings(branch: Branch) -> dict[tuple[int, int], MemberRanking]:
    return {(r.year, r.number): r for r in MemberRanking.objects.filter(branch=branch).select_related("published_by")}


def published_member_ranking(branch: Branch) -> MemberRanking | None:
    """The branch's latest published member ranking. One query."""
    return MemberRanking.objects.filter(branch=branch).select_related("published_by").first()

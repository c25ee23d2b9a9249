"""Demo history: two earlier quarters, 2018Q3 and 2018Q4, scored and published through
boards.services.quarter_publish (the same service as the button), so the dashboards have trends,
star ratings and a repeated blue board to show. 2019Q1 stays as demo.quarter leaves it.
Idempotent: a quarter that exists is left alone.
"""

from __future__ import annotations

import datetime
import zlib
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from boards.services import quarter_publish
from branches import roles
from branches.models import Branch, User
from demo.organisation import demo_company, ensure_user
from demo.quarter import GROUPS, TARGETS
from ratings.services import star_ratings_store
from scoring.models import ContributionPoint, InspectionGroup, Problem, Quarter, Score, ScoreSheet
from scoring.numbers import TENTH
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create, quarter_transition

# code → (scoring opened, published) dates, and the totals that make each category's red and
# blue boards (the others follow their 2019Q1 totals give or take 1.6 points).
HISTORY = {
    "2018Q3": {
        "dates": (datetime.date(2018, 9, 20), datetime.date(2018, 10, 19)),
        "targets": {
            "城区分公司党支部": ("97.6", "1.0"),
            "景泰县供电公司党总支": ("85.2", "0"),
            "平川区供电公司党总支": ("87.0", "0"),
            "客户服务中心党支部": ("97.0", "0.5"),
            "电力调度中心党总支部": ("96.2", "0"),
            "安全监察中心党支部": ("84.9", "0"),
            "鸿运物业分公司党支部": ("86.8", "0"),
            "财务部党支部": ("96.6", "0.5"),
            "办公室党支部": ("95.8", "0"),
            "营销部党支部": ("85.5", "0"),
        },
        "problems": {
            "景泰县供电公司党总支": [("S2", "“三会一课”记录不完整"), ("A1", "党建创新载体未形成特色")],
            "安全监察中心党支部": [("S3", "党员发展档案材料不齐全")],
            "营销部党支部": [("S2", "主题党日活动与业务脱节"), ("C2", "支部工作计划执行不到位")],
        },
    },
    "2018Q4": {
        "dates": (datetime.date(2018, 12, 20), datetime.date(2019, 1, 18)),
        "targets": {
            "白银变电运检中心党支部": ("97.3", "1.0"),
            "会宁县供电公司党总支": ("85.0", "0"),
            "平川区供电公司党总支": ("86.4", "0"),
            "电力调度中心党总支部": ("97.6", "1.0"),
            "鸿运物业分公司党支部": ("84.1", "0"),
            "安全监察中心党支部": ("87.6", "0"),
            "办公室党支部": ("96.9", "0.5"),
            "财务部党支部": ("96.3", "0"),
            "营销部党支部": ("86.0", "0"),
        },
        "problems": {
            "会宁县供电公司党总支": [("S4", "党建信息系统数据更新滞后")],
            "鸿运物业分公司党支部": [("S5", "党员活动阵地建设不达标"), ("B2", "党员队伍结构老化，发展党员滞后")],
            "营销部党支部": [("S2", "“三会一课”落实不到位"), ("C1", "党课质量不高")],
        },
    },
}

REASONS = {
    "2018Q3": "在迎峰度夏保电中表现突出",
    "2018Q4": "党建品牌故事在公司网站刊发",
}


def _offset(name: str, code: str) -> Decimal:
    """A stable wobble in [−1.6, +1.2] per branch and quarter."""
    return Decimal((zlib.crc32(f"{name}{code}".encode()) % 29) - 16) * TENTH


def _target(name: str, code: str) -> tuple[Decimal, Decimal]:
    override = HISTORY[code]["targets"].get(name)
    if override:
        return Decimal(override[0]), Decimal(override[1])
    base = Decimal(TARGETS[name][0]) + _offset(name, code)
    return min(base, Decimal("99.0")), Decimal("0")


def spread_loss(maxima: list[Decimal], target: Decimal, weak: set[int]) -> list[Decimal]:
    """Scores in tenths that add up to `target`: the points lost fall three times as heavily on the
    `weak` indicators (by position), so each branch has indicators where it loses most."""
    loss = sum(maxima, Decimal("0")) - target
    weights = [m * (3 if i in weak else 1) for i, m in enumerate(maxima)]
    total_weight = sum(weights, Decimal("0"))
    losses = [
        min(m, (loss * w / total_weight).quantize(TENTH, rounding=ROUND_DOWN))
        for m, w in zip(maxima, weights, strict=True)
    ]
    remainder = loss - sum(losses, Decimal("0"))
    i = 0
    while remainder > 0 and i < 10_000:
        j = i % len(maxima)
        if losses[j] < maxima[j]:
            losses[j] += TENTH
            remainder -= TENTH
        i += 1
    return [m - lost for m, lost in zip(maxima, losses, strict=True)]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_history(branches: dict[str, Branch], users: dict[str, User]) -> list[Quarter]:
    """Create, score and publish 2018Q3 and 2018Q4 (oldest first). Returns them."""
    dept = users["dangjian"]
    company = demo_company()
    out = []
    for code, spec in HISTORY.items():
        quarter = Quarter.objects.filter(unit=company, code=code).first()
        if quarter is not None:
            if quarter.is_published:
                star_ratings_store(quarter=quarter)  # a no-op once rated
            out.append(quarter)
            continue
        quarter = quarter_create(code=code, unit=company)
        quarter = quarter_transition(quarter=quarter, to=Quarter.Status.SCORING)
        schemes = {c: scheme_for_category(quarter, c) for c in ("1", "2", "3")}
        groups = {}
        # The same three groups as in 2019Q1, each led by its second member then (so the demo's
        # jiancha1 belongs to one group only: the current quarter's).
        for group_name, members, category in GROUPS:
            member_users = [ensure_user(u, n, [roles.INSPECTOR], branches[b]) for u, n, b in members[1:]]
            group = InspectionGroup.objects.create(quarter=quarter, name=group_name, leader=member_users[0])
            group.members.add(*member_users)
            groups[category] = (group, member_users[0])
        for branch in Branch.objects.filter(evaluating_unit=company, is_active=True).order_by("category", "name"):
            group, inspector = groups[branch.category]
            indicators = schemes[branch.category]
            target, points = _target(branch.name, code)
            seed = zlib.crc32(branch.name.encode())
            weak = {seed % len(indicators), (seed // 7) % len(indicators)}
            values = spread_loss([i.max_score for i in indicators], target, weak)
            sheet = ScoreSheet.objects.create(
                quarter=quarter,
                branch=branch,
                group=group,
                status=ScoreSheet.Status.SUBMITTED,
                submitted_at=_aware(spec["dates"][0]),
                submitted_by=inspector,
                version=1,
            )
            Score.objects.bulk_create(
                Score(sheet=sheet, indicator=indicator, value=value, methods="records,account")
                for indicator, value in zip(indicators, values, strict=True)
            )
            by_code = {i.code: i for i in indicators}
            for indicator_code, description in spec["problems"].get(branch.name, []):
                Problem.objects.create(
                    sheet=sheet, indicator=by_code[indicator_code], description=description, created_by=inspector
                )
            if points:
                ContributionPoint.objects.create(
                    quarter=quarter, branch=branch, points=points, reason=REASONS[code], created_by=dept
                )
        quarter = quarter_publish(quarter=quarter, user=dept)
        opened, published = spec["dates"]
        Quarter.objects.filter(pk=quarter.pk).update(
            opened_at=_aware(opened), closed_at=_aware(published), published_at=_aware(published)
        )
        quarter.refresh_from_db()
        # The follow-up does this on commit; the demo rates at once so the data is whole whatever
        # runs the seed (a test's transaction never commits).
        star_ratings_store(quarter=quarter)
        out.append(quarter)
    return out

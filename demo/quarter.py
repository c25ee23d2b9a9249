"""Demo quarter 2019Q1: the default scheme, the report's three inspection groups, and complete,
submitted scores whose totals reproduce the report's first and last places in each category
(城区分公司 gets the 98 of the report's opening). Idempotent."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from branches import roles
from branches.models import Branch, User
from demo.organisation import demo_company, ensure_user
from scoring.models import ContributionPoint, InspectionGroup, Method, Problem, Quarter, Score, ScoreSheet
from scoring.numbers import TENTH
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create, quarter_transition

DEMO_QUARTER = "2019Q1"

# branch → (indicator total, contribution points)
TARGETS = {
    "白银变电运检中心党支部": ("97.1", "1.5"),
    "城区分公司党支部": ("96.5", "1.5"),
    "靖远县供电公司党总支": ("95.8", "1.0"),
    "白银输电运检中心党支部": ("94.2", "0"),
    "白银区供电公司党总支": ("92.6", "0.5"),
    "检修分公司党支部": ("91.4", "0"),
    "会宁县供电公司党总支": ("89.7", "0"),
    "景泰县供电公司党总支": ("88.9", "0"),
    "平川区供电公司党总支": ("84.3", "0"),
    "电力调度中心党总支部": ("97.4", "1.0"),
    "客户服务中心党支部": ("95.6", "0.5"),
    "供电服务指挥中心党支部": ("95.0", "0"),
    "信息通信分公司党支部": ("93.8", "0"),
    "物资供应中心党支部": ("93.1", "0"),
    "经济技术研究所党支部": ("92.5", "0"),
    "综合服务中心党支部": ("91.7", "0"),
    "项目管理中心党支部": ("90.6", "0"),
    "电力工程有限公司党支部": ("89.9", "0"),
    "安全监察中心党支部": ("88.4", "0"),
    "鸿运物业分公司党支部": ("83.6", "0"),
    "财务部党支部": ("97.0", "0.5"),
    "办公室党支部": ("96.2", "0"),
    "人力资源部党支部": ("95.4", "0"),
    "发展策划部党支部": ("94.7", "0"),
    "运维检修部党支部": ("94.0", "0"),
    "安全监察质量部党支部": ("93.3", "0"),
    "党委党建部党支部": ("92.8", "0"),
    "纪委办公室党支部": ("92.1", "0"),
    "物资部党支部": ("91.5", "0"),
    "建设部党支部": ("90.8", "0"),
    "科技信息部党支部": ("90.0", "0"),
    "营销部党支部": ("86.7", "0"),
}

CONTRIBUTION_REASONS = {
    "白银变电运检中心党支部": "“党员突击队”保电工作获省公司通报表扬",
    "城区分公司党支部": "党建品牌故事在国网党建信息平台刊发",
    "靖远县供电公司党总支": "支部标准化建设经验在全公司推广",
    "白银区供电公司党总支": "选树的先进典型获评市级劳动模范",
    "电力调度中心党总支部": "“调度先锋”党建品牌入选省公司优秀案例",
    "客户服务中心党支部": "党员服务队获评优秀志愿服务集体",
    "财务部党支部": "党建与业务融合案例获公司一等奖",
}

# Problems the inspection found: the report's own for 平川区, plausible ones elsewhere.
PROBLEMS = {
    "平川区供电公司党总支": [
        ("S1", "下设支部补选委员流程不规范"),
        ("S2", "“三会一课”落实不到位"),
        ("S4", "党建信息系统录入不及时，部分台账缺失"),
        ("A2", "党建与安全生产融合的载体不足"),
    ],
    "鸿运物业分公司党支部": [
        ("S2", "组织生活会记录不完整，缺少批评与自我批评内容"),
        ("S5", "党员活动室使用率低"),
        ("B3", "党员示范岗作用发挥不明显"),
    ],
    "营销部党支部": [
        ("C1", "党课开展次数不足，内容与业务结合不紧"),
        ("S3", "党费收缴记录不规范"),
    ],
    "会宁县供电公司党总支": [("S4", "纸质台账与系统记录不一致")],
    "景泰县供电公司党总支": [("S1", "支委分工未及时调整"), ("S2", "主题党日记录不完整")],
    "安全监察中心党支部": [("S3", "党员组织关系转接不及时")],
    "科技信息部党支部": [("C4", "支部年度工作计划未按期制定")],
}

# (group name, members as (username, name, branch)), branches inspected: by category.
GROUPS = [
    ("第一检查组", [("jiancha1", "王磊", "办公室党支部"), ("jiancha1b", "刘芳", "人力资源部党支部")], "1"),
    ("第二检查组", [("jiancha2", "孙浩", "发展策划部党支部"), ("jiancha2b", "周静", "科技信息部党支部")], "2"),
    ("第三检查组", [("jiancha3", "马俊", "靖远县供电公司党总支"), ("jiancha3b", "何丽", "客户服务中心党支部")], "3"),
]


def distribute(target: Decimal, maxima: list[Decimal]) -> list[Decimal]:
    """Spread an indicator total over indicators in proportion to their maxima, in tenths."""
    full = sum(maxima, Decimal("0"))
    values = [(m * target / full).quantize(TENTH, rounding=ROUND_DOWN) for m in maxima]
    remainder = target - sum(values, Decimal("0"))
    i = 0
    while remainder > 0:
        if values[i % len(values)] < maxima[i % len(values)]:
            values[i % len(values)] += TENTH
            remainder -= TENTH
        i += 1
    return values


# The demo's 第二检查组 is a little stricter on the five standardizations than the others (the
# severity report, fairness.statistics, says so). It gives the same points back on its category's own
# criteria, so every branch's total — and so the board — stays as the report has it.
STRICTER_GROUP = "第二检查组"
STRICTER_BY = Decimal("0.8")


def stricter(values: list[Decimal], indicators) -> list[Decimal]:
    """Move up to STRICTER_BY per indicator from the five standardizations to the category's own
    criteria (as far as their maxima allow), keeping the sum."""
    standard = [n for n, i in enumerate(indicators) if i.is_standard]
    own = [n for n, i in enumerate(indicators) if not i.is_standard]
    room = min((indicators[n].max_score - values[n]) * len(own) / len(standard) for n in own)
    step = min(STRICTER_BY, room.quantize(TENTH, rounding=ROUND_DOWN))
    moved = step * len(standard)
    out = list(values)
    for n in standard:
        out[n] -= step
    share = (moved / len(own)).quantize(TENTH, rounding=ROUND_DOWN)
    for k, n in enumerate(own):
        out[n] += share if k else moved - share * (len(own) - 1)
    return out


def seed_quarter(branches: dict[str, Branch], users: dict[str, User]) -> Quarter:
    company = demo_company()
    quarter = Quarter.objects.filter(unit=company, code=DEMO_QUARTER).first()
    if quarter is None:
        quarter = quarter_create(code=DEMO_QUARTER, unit=company)
        quarter = quarter_transition(quarter=quarter, to=Quarter.Status.SCORING)
    if quarter.status != Quarter.Status.SCORING or quarter.sheets.exists():
        return quarter  # already seeded, or moved on by people: leave it alone

    dept = users["dangjian"]
    schemes = {c: scheme_for_category(quarter, c) for c in ("1", "2", "3")}
    for group_name, members, category in GROUPS:
        member_users = [ensure_user(u, n, [roles.INSPECTOR], branches[b]) for u, n, b in members]
        group, _ = InspectionGroup.objects.get_or_create(
            quarter=quarter, name=group_name, defaults={"leader": member_users[0]}
        )
        group.members.add(*member_users)
        for branch in Branch.objects.filter(evaluating_unit=company, category=category, is_active=True):
            sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, group=group)
            indicators = schemes[category]
            target, points = TARGETS[branch.name]
            values = distribute(Decimal(target), [i.max_score for i in indicators])
            if group_name == STRICTER_GROUP:
                values = stricter(values, indicators)
            Score.objects.bulk_create(
                Score(
                    sheet=sheet,
                    indicator=indicator,
                    value=value,
                    methods=f"{Method.RECORDS},{Method.ACCOUNT}" if n % 2 else f"{Method.RECORDS},{Method.SYSTEMS}",
                )
                for n, (indicator, value) in enumerate(zip(indicators, values, strict=True))
            )
            by_code = {i.code: i for i in indicators}
            for code, description in PROBLEMS.get(branch.name, []):
                Problem.objects.create(
                    sheet=sheet, indicator=by_code[code], description=description, created_by=member_users[0]
                )
            if Decimal(points):
                ContributionPoint.objects.create(
                    quarter=quarter,
                    branch=branch,
                    points=Decimal(points),
                    reason=CONTRIBUTION_REASONS[branch.name],
                    created_by=dept,
                )
            sheet.status = ScoreSheet.Status.SUBMITTED
            sheet.submitted_at = timezone.now()
            sheet.submitted_by = member_users[0]
            sheet.version = 1
            sheet.save()
    return quarter

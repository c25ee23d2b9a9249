"""The demo above one company (issue 17), part of `seed_demo` (what `make run` seeds): 国网白银供电公司
as an evaluating unit under the province 国网甘肃省电力公司, and a second, smaller city company,
国网定西供电公司, with its own 党建部, branches named like some of Baiyin's, 2018Q3 and 2018Q4
published through the publication service (as Baiyin's) and 2019Q1 scored and waiting for its
党建部 to publish (as Baiyin's) — so the province's roll-up opens on 2018Q4 with both cities side by
side. The province itself does not evaluate. Baiyin's data is left exactly as `seed_demo
--company-only` makes it. Idempotent.
"""

from __future__ import annotations

import datetime
import zlib
from decimal import Decimal

from django.utils import timezone

from boards.services import quarter_publish
from branches import roles
from branches.models import Branch, Category, Unit, User
from branches.units import default_unit, parent_of, unit_create, unit_update
from demo.history import spread_loss
from demo.organisation import ensure_user
from interviews.models import Interview, ItemStatus, RectificationItem
from interviews.services import interviews_create_for_quarter
from scoring.models import Problem, Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create, quarter_transition

PROVINCE = "国网甘肃省电力公司"
SECOND_CITY = "国网定西供电公司"
SECOND_CITY_HQ = "定西供电公司本部"

# (name, category, unit): the same names as some of Baiyin's, as every company has them.
SECOND_CITY_BRANCHES = [
    ("安定区供电公司党总支", Category.I, "安定区供电公司"),
    ("陇西县供电公司党总支", Category.I, "陇西县供电公司"),
    ("临洮县供电公司党总支", Category.I, "临洮县供电公司"),
    ("通渭县供电公司党总支", Category.I, "通渭县供电公司"),
    ("电力调度中心党总支部", Category.II, "定西电力调度中心"),
    ("客户服务中心党支部", Category.II, "定西客户服务中心"),
    ("物资供应中心党支部", Category.II, "定西物资供应中心"),
    ("财务部党支部", Category.III, SECOND_CITY_HQ),
    ("办公室党支部", Category.III, SECOND_CITY_HQ),
    ("人力资源部党支部", Category.III, SECOND_CITY_HQ),
    ("营销部党支部", Category.III, SECOND_CITY_HQ),
]

# code → branch → indicator total; the last of each category is its blue board (物资供应中心 and
# 营销部 in both published quarters: 连续两季度蓝榜). 2019Q1 is scored, not published.
TOTALS = {
    "2018Q3": {
        "安定区供电公司党总支": "96.4",
        "陇西县供电公司党总支": "93.0",
        "临洮县供电公司党总支": "90.2",
        "通渭县供电公司党总支": "86.5",
        "电力调度中心党总支部": "95.1",
        "客户服务中心党支部": "92.7",
        "物资供应中心党支部": "87.9",
        "财务部党支部": "94.6",
        "办公室党支部": "96.0",
        "人力资源部党支部": "91.3",
        "营销部党支部": "85.8",
    },
    "2018Q4": {
        "安定区供电公司党总支": "94.8",
        "陇西县供电公司党总支": "96.9",
        "临洮县供电公司党总支": "87.4",
        "通渭县供电公司党总支": "90.6",
        "电力调度中心党总支部": "93.2",
        "客户服务中心党支部": "96.3",
        "物资供应中心党支部": "88.6",
        "财务部党支部": "95.7",
        "办公室党支部": "94.1",
        "人力资源部党支部": "92.4",
        "营销部党支部": "86.9",
    },
    "2019Q1": {
        "安定区供电公司党总支": "95.5",
        "陇西县供电公司党总支": "94.2",
        "临洮县供电公司党总支": "91.8",
        "通渭县供电公司党总支": "88.3",
        "电力调度中心党总支部": "94.4",
        "客户服务中心党支部": "95.9",
        "物资供应中心党支部": "91.2",
        "财务部党支部": "93.8",
        "办公室党支部": "95.2",
        "人力资源部党支部": "89.6",
        "营销部党支部": "90.7",
    },
}
PUBLISHED_ON = {"2018Q3": datetime.date(2018, 10, 22), "2018Q4": datetime.date(2019, 1, 16)}
SCORED_ON = {
    "2018Q3": datetime.date(2018, 10, 12),
    "2018Q4": datetime.date(2019, 1, 6),
    "2019Q1": datetime.date(2019, 4, 8),
}
PROBLEMS = {
    "营销部党支部": [
        ("S2", "“三会一课”记录不完整"),
        ("S4", "党建信息系统台账更新滞后"),
        ("S5", "党员活动室长期挪作他用"),
    ],
    "临洮县供电公司党总支": [("S1", "下设支部委员补选程序不规范"), ("A2", "党建与安全生产融合载体不足")],
    "物资供应中心党支部": [("S3", "发展党员档案材料不齐全")],
}

# (username, name, role, unit name)
ACCOUNTS = [
    ("gansu_dangjian", "李卫东", roles.DEPT, PROVINCE),
    ("gansu_lingdao", "马国强", roles.LEADER, PROVINCE),
    ("dingxi_dangjian", "刘芳", roles.DEPT, SECOND_CITY),
]


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_province() -> dict[str, Unit]:
    """The province above Baiyin, and the second city with its units and branches."""
    baiyin = default_unit()
    assert baiyin is not None
    province = Unit.objects.filter(name=PROVINCE).first() or unit_create(name=PROVINCE, is_evaluating=False)
    current = parent_of(baiyin)
    if current is None or current.pk != province.pk:
        baiyin = unit_update(unit=baiyin, parent=province, is_evaluating=True)
    city = Unit.objects.filter(name=SECOND_CITY).first() or unit_create(
        name=SECOND_CITY, parent=province, is_evaluating=True
    )
    for name, category, unit_name in SECOND_CITY_BRANCHES:
        unit = Unit.objects.filter(name=unit_name).first() or unit_create(name=unit_name, parent=city)
        if not Branch.objects.filter(name=name, evaluating_unit=city).exists():
            kind = Branch.Kind.GENERAL if name.endswith(("党总支", "党总支部")) else Branch.Kind.BRANCH
            Branch.objects.create(name=name, kind=kind, category=category, unit=unit, evaluating_unit=city)
    return {PROVINCE: province, "国网白银供电公司": baiyin, SECOND_CITY: city}


def seed_accounts(units: dict[str, Unit]) -> dict[str, User]:
    users = {}
    for username, name, role, unit_name in ACCOUNTS:
        user = ensure_user(username, name, [role], None)
        if user.unit_id != units[unit_name].pk:
            user.unit = units[unit_name]
            user.save(update_fields=["unit"])
        users[username] = user
    return users


def seed_second_city_quarters(city: Unit, dept: User) -> list[Quarter]:
    """2018Q3, 2018Q4 and 2019Q1 of the second city, scored by its 党建部; the first two published,
    their blue-board branches' interviews and checklists made, rectification partly done, partly
    overdue. 2019Q1 waits, complete and submitted, for the city's 党建部 to publish."""
    out = []
    for code, totals in TOTALS.items():
        quarter = Quarter.objects.filter(unit=city, code=code).first()
        if quarter is not None:
            out.append(quarter)
            continue
        quarter = quarter_transition(quarter=quarter_create(code=code, unit=city), to=Quarter.Status.SCORING)
        _score(quarter, totals, dept)
        if code in PUBLISHED_ON:
            quarter = quarter_publish(quarter=quarter, user=dept)
            Quarter.objects.filter(pk=quarter.pk).update(
                published_at=_aware(PUBLISHED_ON[code]), closed_at=_aware(PUBLISHED_ON[code])
            )
            quarter.refresh_from_db()
            # The follow-up does this on commit; done here too so the data is whole whatever runs the seed.
            interviews_create_for_quarter(quarter=quarter)
            _rectify(quarter, dept)
        out.append(quarter)
    return out


def _score(quarter: Quarter, totals: dict[str, str], dept: User) -> None:
    """Every branch's sheet, complete and submitted by the city's 党建部, adding up to its total."""
    schemes = {c: scheme_for_category(quarter, c) for c in Category.values}
    for branch in Branch.objects.for_quarter(quarter).order_by("category", "name"):
        indicators = schemes[branch.category]
        seed = zlib.crc32(f"{quarter.code}{branch.name}".encode())
        weak = {seed % len(indicators), (seed // 7) % len(indicators)}
        values = spread_loss([i.max_score for i in indicators], Decimal(totals[branch.name]), weak)
        sheet = ScoreSheet.objects.create(
            quarter=quarter,
            branch=branch,
            status=ScoreSheet.Status.SUBMITTED,
            submitted_at=_aware(SCORED_ON[quarter.code]),
            submitted_by=dept,
            version=1,
        )
        Score.objects.bulk_create(
            Score(sheet=sheet, indicator=indicator, value=value, methods="records,account")
            for indicator, value in zip(indicators, values, strict=True)
        )
        by_code = {i.code: i for i in indicators}
        for indicator_code, description in PROBLEMS.get(branch.name, []):
            if indicator_code in by_code:
                Problem.objects.create(
                    sheet=sheet, indicator=by_code[indicator_code], description=description, created_by=dept
                )


def _rectify(quarter: Quarter, dept: User) -> None:
    """Each blue branch's checklist answered: the first item accepted, the next one overdue."""
    published = quarter.published_at.date() if quarter.published_at else timezone.localdate()
    for interview in Interview.objects.filter(quarter=quarter):
        for n, item in enumerate(RectificationItem.objects.filter(interview=interview).order_by("position", "id")):
            item.measure = "对照问题逐项整改，建立长效机制"
            item.responsible = "支部书记"
            item.deadline = published + datetime.timedelta(days=30 if n == 1 else 60)
            if n == 0:
                item.status = ItemStatus.ACCEPTED
                item.accepted_at = _aware(published + datetime.timedelta(days=20))
                item.accepted_by = dept
            else:
                item.status = ItemStatus.IN_PROGRESS
            item.save()


def seed_province_demo() -> dict[str, Unit]:
    units = seed_province()
    users = seed_accounts(units)
    seed_second_city_quarters(units[SECOND_CITY], users["dingxi_dangjian"])
    return units

"""Demo organisation: the 32 党(总)支部 of the Baiyin report (its names where it gives them) and
one account per role. Idempotent: running it again changes nothing."""

from __future__ import annotations

from django.contrib.auth.models import Group

from branches import roles
from branches.models import Branch, Category, Unit, User
from branches.units import default_unit

DEMO_PASSWORD = "Demo@2019"
HQ_UNIT = "白银供电公司本部"

# (name, kind, unit). Category Ⅰ: county-level companies (the report ranks 白银变电运检中心 here).
BRANCHES = {
    Category.I: [
        ("白银变电运检中心党支部", "branch", "白银变电运检中心"),
        ("城区分公司党支部", "branch", "白银供电公司城区分公司"),
        ("靖远县供电公司党总支", "general", "靖远县供电公司"),
        ("会宁县供电公司党总支", "general", "会宁县供电公司"),
        ("景泰县供电公司党总支", "general", "景泰县供电公司"),
        ("白银区供电公司党总支", "general", "白银区供电公司"),
        ("白银输电运检中心党支部", "branch", "白银输电运检中心"),
        ("检修分公司党支部", "branch", "白银供电公司检修分公司"),
        ("平川区供电公司党总支", "general", "平川区供电公司"),
    ],
    Category.II: [
        ("电力调度中心党总支部", "general", "电力调度中心"),
        ("客户服务中心党支部", "branch", "客户服务中心"),
        ("供电服务指挥中心党支部", "branch", "供电服务指挥中心"),
        ("信息通信分公司党支部", "branch", "信息通信分公司"),
        ("物资供应中心党支部", "branch", "物资供应中心"),
        ("经济技术研究所党支部", "branch", "经济技术研究所"),
        ("综合服务中心党支部", "branch", "综合服务中心"),
        ("项目管理中心党支部", "branch", "项目管理中心"),
        ("电力工程有限公司党支部", "branch", "电力工程有限公司"),
        ("安全监察中心党支部", "branch", "安全监察中心"),
        ("鸿运物业分公司党支部", "branch", "鸿运物业分公司"),
    ],
    Category.III: [
        ("财务部党支部", "branch", HQ_UNIT),
        ("办公室党支部", "branch", HQ_UNIT),
        ("人力资源部党支部", "branch", HQ_UNIT),
        ("发展策划部党支部", "branch", HQ_UNIT),
        ("运维检修部党支部", "branch", HQ_UNIT),
        ("安全监察质量部党支部", "branch", HQ_UNIT),
        ("党委党建部党支部", "branch", HQ_UNIT),
        ("纪委办公室党支部", "branch", HQ_UNIT),
        ("物资部党支部", "branch", HQ_UNIT),
        ("建设部党支部", "branch", HQ_UNIT),
        ("科技信息部党支部", "branch", HQ_UNIT),
        ("营销部党支部", "branch", HQ_UNIT),
    ],
}

# 下设支部 of a 党总支: they exist in the organisation but are evaluated through their 党总支.
SUB_BRANCHES = [
    ("平川区供电公司共和供电所党支部", "平川区供电公司党总支"),
    ("平川区供电公司王家山供电所党支部", "平川区供电公司党总支"),
    ("靖远县供电公司乌兰供电所党支部", "靖远县供电公司党总支"),
]

# (username, name, roles, branch name or None, staff)
USERS = [
    ("dangjian", "张敏", [roles.DEPT], "党委党建部党支部", True),
    ("jiancha1", "王磊", [roles.INSPECTOR], "办公室党支部", False),
    ("shuji", "赵永平", [roles.SECRETARY], "平川区供电公司党总支", False),
    ("lingdao", "陈建国", [roles.LEADER], "办公室党支部", False),
    ("admin", "系统管理员", [roles.ADMIN], None, True),
]


def demo_company() -> Unit:
    """The demo's company, 国网白银供电公司 (PORTAL_COMPANY_NAME): the root of a fresh database, under
    the province once the province demo has run. Every lookup of the demo is scoped to it, since
    the second city has branches and quarters of the same names."""
    unit = default_unit()
    assert unit is not None, "the demo's company unit"
    return unit


def seed_organisation() -> dict[str, Branch]:
    company = demo_company()
    mine = Branch.objects.filter(evaluating_unit=company)
    branches: dict[str, Branch] = {}
    for category, rows in BRANCHES.items():
        for name, kind, unit_name in rows:
            unit, _ = Unit.objects.get_or_create(name=unit_name)
            branch, _ = mine.get_or_create(name=name, defaults={"kind": kind, "category": category, "unit": unit})
            branches[name] = branch
    for name, parent_name in SUB_BRANCHES:
        parent = branches[parent_name]
        branch, _ = mine.get_or_create(
            name=name,
            defaults={
                "kind": Branch.Kind.BRANCH,
                "category": parent.category,
                "unit": parent.unit,
                "parent": parent,
                "is_active": False,
            },
        )
        branches[name] = branch
    return branches


def ensure_user(username: str, name: str, role_names: list[str], branch: Branch | None, staff: bool = False) -> User:
    """Create a demo user with the demo password, or leave an existing one as it is."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"name": name, "branch": branch, "is_staff": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        if roles.ADMIN in role_names:
            user.is_superuser = True
        user.save()
        user.groups.set(Group.objects.filter(name__in=role_names))
    return user


def seed_users(branches: dict[str, Branch]) -> dict[str, User]:
    users = {}
    for username, name, role_names, branch_name, staff in USERS:
        users[username] = ensure_user(username, name, role_names, branches.get(branch_name), staff)
    secretary = users["shuji"]
    pingchuan = branches["平川区供电公司党总支"]
    if pingchuan.secretary_id is None:
        pingchuan.secretary = secretary
        pingchuan.save(update_fields=["secretary"])
    return users

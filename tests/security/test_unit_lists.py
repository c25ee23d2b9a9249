"""No list or report page of one city shows another city's objects (issue 17).

City A is the demo's 国网白银供电公司 (seed_demo --company-only); city B, 国网定西供电公司, is seeded
after the database's id sequences were moved past every id A has, with the province demo's branches (named like
Baiyin's), quarters 2018Q3/2018Q4 (published, with interviews and checklists) and 2019Q1 (the same
codes as Baiyin's), and besides an inspection group of the same name as Baiyin's, its inspector and a
secretary, audit events, party members with points and a star rating. So every B object's id is
in B's range and every A object's below it: any link, form value or data attribute carrying such an id, or
any text naming B (定西, its accounts), on a page that 白银's 党建部, leadership, inspector or
secretary opens is a leak. The pages are every named URL without arguments (read from the URL
configuration, as tests/security/test_access_matrix.py does), so a new list page is checked too."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse

from branches import roles
from tests.helpers import make_user
from tests.security.test_access_matrix import named_urls

pytestmark = pytest.mark.django_db

STEP = 100000  # B's ids start at the next multiple of STEP above every id A has
A_ROLES = ("dangjian", "lingdao", "jiancha1", "shuji")


def b_id(start: int) -> re.Pattern:
    """An attribute value carrying an id of B's range (start … start + STEP - 1)."""
    return re.compile(rf'(?:href|action|value|data-[\w-]+|src)="[^"]*(?<!\d){start // STEP}\d{{5}}(?!\d)[^"]*"')


B_TEXT = ("定西", "dingxi", "乙市")
SKIPPED = {"accounts:logout", "logout"}


def _move_sequences() -> int:
    """Every table's next id from the next multiple of STEP above all ids on (PostgreSQL: setval,
    which a test's rollback does not undo, hence above the sequences too; SQLite: sqlite_sequence)."""
    tables = [
        (m._meta.db_table, m._meta.pk)
        for m in apps.get_models(include_auto_created=True)
        if isinstance(m._meta.pk, models.AutoField)  # BigAutoField and SmallAutoField are AutoFields
    ]
    with connection.cursor() as cursor:
        top = 0
        for table, pk in tables:
            cursor.execute(
                f"SELECT MAX({connection.ops.quote_name(pk.column)}) FROM {connection.ops.quote_name(table)}"
            )
            top = max(top, cursor.fetchone()[0] or 0)
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute(f"SELECT last_value FROM {sequence}")
                    top = max(top, cursor.fetchone()[0])
        start = (top // STEP + 1) * STEP
        for table, pk in tables:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
                sequence = cursor.fetchone()[0]
                if sequence:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, start])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start])
    return start


@pytest.fixture
def two_cities(db):
    from audit.models import AuditEvent
    from audit.services import audit_record
    from branches.models import Branch, Unit, User
    from demo.province import SECOND_CITY, seed_province_demo
    from members.models import MemberPoint, PartyMember
    from ratings.models import StarRating
    from scoring.models import InspectionGroup, Quarter

    call_command("seed_demo", "--company-only", verbosity=0)
    start = _move_sequences()
    seed_province_demo()
    city = Unit.objects.get(name=SECOND_CITY)
    quarters = {q.code: q for q in Quarter.objects.filter(unit=city)}
    baiyin_quarter = Quarter.objects.exclude(unit=city).get(code="2019Q1")
    assert quarters["2019Q1"].pk > start > baiyin_quarter.pk
    branch = Branch.objects.filter(evaluating_unit=city).order_by("name").first()
    inspector = make_user(roles.INSPECTOR, username="dingxi_jiancha", first_name="乙市检查员", unit=city)
    secretary = make_user(roles.SECRETARY, username="dingxi_shuji", first_name="乙市书记", unit=city)
    Branch.objects.filter(pk=branch.pk).update(secretary=secretary)
    for group_name in InspectionGroup.objects.filter(quarter=baiyin_quarter).values_list("name", flat=True)[:1]:
        group = InspectionGroup.objects.create(quarter=quarters["2019Q1"], name=group_name, leader=inspector)
        group.members.add(inspector)
    member = PartyMember.objects.create(branch=branch, name="乙市党员")
    MemberPoint.objects.create(member=member, date=quarters["2018Q4"].published_at.date(), points=5, reason="乙市事由")
    StarRating.objects.create(quarter=quarters["2018Q4"], branch=branch, year=2018, stars=3)
    audit_record(
        action=AuditEvent.Action.QUARTER_CREATE,
        target=quarters["2019Q1"],
        user=User.objects.get(username="dingxi_dangjian"),
    )
    return User.objects.in_bulk(field_name="username"), b_id(start)


def _pages(branch_id: int) -> list[str]:
    """Every named URL without arguments; those taking only a quarter code, for Baiyin's published
    2018Q4 and its 2019Q1 being scored (codes 定西 has too); those taking only a branch, for the
    user's own branch (Baiyin's)."""
    urls = []
    for name, route in sorted(named_urls().items()):
        if name in SKIPPED:
            continue
        args = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not args:
            urls.append(reverse(name))
        elif args == ["code"]:
            urls += [reverse(name, args=[code]) for code in ("2018Q4", "2019Q1")]
        elif args in (["branch"], ["pk"]) and ("branch" in route or name.startswith("members:")):
            urls.append(reverse(name, args=[branch_id]))
    return urls


@pytest.mark.parametrize("username", A_ROLES)
def test_no_page_of_city_a_shows_city_b(client, two_cities, username):
    users, b_ids = two_cities
    user = users[username]
    client.force_login(user)
    leaks, opened, statuses = [], 0, []
    for name in _pages(user.branch_id or users["shuji"].branch_id):
        response = client.get(name)
        statuses.append((name, response.status_code))
        if response.status_code != 200 or response.streaming:
            continue
        kind = response.get("Content-Type", "")
        if not kind.startswith(("text/", "application/json")):
            continue
        body = response.content.decode()
        opened += 1
        found = [m.group(0) for m in b_ids.finditer(body)][:3] + [t for t in B_TEXT if t in body]
        if found:
            leaks.append(f"{name}: {found}")
    assert not leaks, "\n".join(leaks)
    assert opened > 8, statuses  # the walk did open pages


def test_the_check_sees_city_b_where_it_is_shown(client, two_cities):
    """The control: 定西's own 党建部 reading its quarters and its group form finds B's ids."""
    users, b_ids = two_cities
    client.force_login(users["dingxi_dangjian"])
    for url in (reverse("interviews:list"), reverse("scoring:group_create", args=["2019Q1"])):
        body = client.get(url).content.decode()
        assert b_ids.search(body), url

"""Access control by construction: every named URL of the portal × every role, with the status each
must get, in one table (MATRIX). The URL list is read from the URL configuration itself, so a new
URL without an entry here fails `test_every_named_url_has_an_entry`.

Roles: anonymous, 党建部 (dangjian), 检查组成员 of 第一检查组 (jiancha1), 支部书记 of 平川区供电公司党总支 (shuji),
党委领导 (lingdao), 系统管理员 (admin), a secretary of another branch (other_secretary) and an inspector of
another group (jiancha2, 第二检查组). URL arguments are demo objects that belong to shuji's branch, jiancha1's
group or the current (unpublished) quarter 2019Q1 — so "the other secretary" and "the other inspector" probe
exactly the cross-branch and cross-group holes.

Write URLs are POSTed with an empty form: a forbidden role must get 403/404 before any validation; an allowed
one gets the form's own answer (200 with errors, 302, 400). Each request runs in a savepoint that is rolled
back, so no request changes what the next one sees. "login" means a redirect to the login page. The admin
site and i18n have their own checks (one admin row here).

To draft entries for a new URL: MATRIX_DUMP=1 pytest tests/security/test_access_matrix.py -s
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from branches import roles
from branches.units import default_unit
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "dangjian", "jiancha1", "shuji", "lingdao", "admin", "other_secretary", "jiancha2")
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}  # django.conf.urls.i18n: the language switch, public by design


def named_urls(resolver=None, namespace: str = "", route: str = "") -> dict[str, str]:
    """Every named URL of the configuration, 'namespace:name' → route, walking includes recursively."""
    resolver = resolver or get_resolver()
    found: dict[str, str] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found.update(named_urls(entry, full_ns, route + str(entry.pattern)))
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXCLUDED_NAMES:
            found[f"{namespace}:{entry.name}" if namespace else entry.name] = route + str(entry.pattern)
    return found


@dataclass
class World:
    """The demo objects URL arguments are filled from."""

    users: dict
    code: str  # the current quarter, being scored (its board is only a preview)
    published: str
    branch: int  # shuji's branch
    group: int  # jiancha1's group
    sheet: int  # a sheet of jiancha1's group
    contribution: int
    exclusion: int
    calibration: int
    interview: int  # the interview of shuji's branch
    item: int
    evidence: int
    look_back: int
    job: int  # a finished export job requested by admin


@pytest.fixture
def world(demo, settings, tmp_path) -> World:
    from boards.models import Exclusion
    from branches.models import Branch
    from interviews.models import Evidence, Interview, LookBack, RectificationItem
    from interviews.services import interviews_create_for_quarter
    from reports.models import ExportJob
    from scoring.models import CalibrationBranch, ContributionPoint, InspectionGroup, Quarter, ScoreSheet

    settings.MEDIA_ROOT = str(tmp_path / "media")
    users = dict(demo.users)
    shuji = users["shuji"]
    quarter = demo.quarter
    published = Quarter.objects.latest_published()
    if not Interview.objects.exists():  # publication's follow-ups run on commit, which tests never reach
        for q in Quarter.objects.published():
            interviews_create_for_quarter(quarter=q)
    interview = Interview.objects.filter(branch=shuji.branch).first() or Interview.objects.create(
        quarter=published, branch=shuji.branch, interviewee=shuji
    )
    item = interview.items.first() or RectificationItem.objects.create(
        interview=interview, description="三会一课落实不到位"
    )
    evidence = Evidence(item=item, original_name="会议记录.pdf", size=8, kind="pdf", uploaded_by=shuji)
    evidence.file.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=True)
    look_back = LookBack.objects.create(
        interview=interview, scheduled_on=datetime.date(2019, 9, 1), created_by=users["dangjian"]
    )
    other_branch = Branch.objects.exclude(pk=shuji.branch_id).filter(secretary__isnull=True).order_by("pk").first()
    other = make_user(roles.SECRETARY, username="other_secretary", branch=other_branch)
    other_branch.secretary = other
    other_branch.save()
    users["other_secretary"] = other
    group = InspectionGroup.objects.get(quarter=quarter, members=users["jiancha1"])
    sheet = ScoreSheet.objects.filter(quarter=quarter, group=group).order_by("pk").first()
    contribution = ContributionPoint.objects.filter(quarter=quarter).first() or ContributionPoint.objects.create(
        quarter=quarter, branch=shuji.branch, points=1, reason="典型选树", created_by=users["dangjian"]
    )
    exclusion = Exclusion.objects.create(
        quarter=quarter, branch=other_branch, reason="改组", created_by=users["dangjian"]
    )
    calibration = CalibrationBranch.objects.filter(quarter=quarter).first() or CalibrationBranch.objects.create(
        quarter=quarter, branch=other_branch, created_by=users["dangjian"]
    )
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "matrix.xlsx").write_bytes(b"PK\x03\x04")
    job = ExportJob.objects.create(
        kind="board",
        quarter=published,
        requested_by=users["admin"],
        status=ExportJob.Status.DONE,
        file_name="matrix.xlsx",
    )
    return World(
        users=users,
        code=quarter.code,
        published=published.code,
        branch=shuji.branch_id,
        group=group.pk,
        sheet=sheet.pk,
        contribution=contribution.pk,
        exclusion=exclusion.pk,
        calibration=calibration.pk,
        interview=interview.pk,
        item=item.pk,
        evidence=evidence.pk,
        look_back=look_back.pk,
        job=job.pk,
    )


def kwargs_for(route: str, name: str, w: World) -> dict:
    """URL arguments from the demo: by parameter name and, for pk, by the URL's namespace."""
    kwargs: dict = {}
    if "<str:code>" in route:
        kwargs["code"] = w.code
    if "<int:job_id>" in route:
        kwargs["job_id"] = w.job
    if "<int:pk>" in route:
        kwargs["pk"] = PK_OF[name](w) if name in PK_OF else PK_BY_PREFIX[name.split(":")[0]](w)
    if "<int:unit>" in route:  # the roll-up: the demo's company unit, where 党建部 and leadership sit
        kwargs["unit"] = default_unit().pk
    return kwargs


def _indicator(w: World):
    """The first of the current quarter's five standardizations (it carries deduction items)."""
    from scoring.models import Indicator

    return Indicator.objects.filter(quarter__code=w.code, category="").order_by("position", "pk").first()


PK_BY_PREFIX = {"members": lambda w: w.branch, "interviews": lambda w: w.interview}
PK_OF = {
    "boards:branch": lambda w: w.branch,
    "boards:exclusion_delete": lambda w: w.exclusion,
    "fairness:calibration_remove": lambda w: w.calibration,
    "scoring:group_detail": lambda w: w.group,
    "scoring:group_edit": lambda w: w.group,
    "scoring:group_delete": lambda w: w.group,
    "scoring:sheet": lambda w: w.sheet,
    "scoring:sheet_save": lambda w: w.sheet,
    "scoring:sheet_return": lambda w: w.sheet,
    "scoring:contribution_delete": lambda w: w.contribution,
    "scoring:indicator_edit": lambda w: _indicator(w).pk,
    "scoring:indicator_delete": lambda w: _indicator(w).pk,
    "scoring:indicator_move": lambda w: _indicator(w).pk,
    "scoring:deduction_create": lambda w: _indicator(w).pk,
    "scoring:deduction_edit": lambda w: _indicator(w).deductions.first().pk,
    "scoring:deduction_delete": lambda w: _indicator(w).deductions.first().pk,
    "scoring:deduction_move": lambda w: _indicator(w).deductions.first().pk,
    "interviews:item": lambda w: w.item,
    "interviews:item_answer": lambda w: w.item,
    "interviews:item_progress": lambda w: w.item,
    "interviews:evidence_add": lambda w: w.item,
    "interviews:item_accept": lambda w: w.item,
    "interviews:item_return": lambda w: w.item,
    "interviews:evidence": lambda w: w.evidence,
    "interviews:evidence_remove": lambda w: w.evidence,
    "interviews:look_back": lambda w: w.look_back,
    "interviews:look_back_record": lambda w: w.look_back,
}

# Reviewed row by row against each app's access module (its docstring states the rules):
# - published results, the dashboards, the star list and the rules are public within the company;
# - the 2019Q1 preview, exclusions, calibration, the severity report: 党建部 writes, leadership reads
#   (403 on writes), everyone else 404 — the quarter does not exist for them;
# - shuji's interview, items, evidence, look-backs and member points: 党建部, leadership and shuji;
#   the other secretary and the inspectors get 404; only shuji answers (others' writes 403/404);
# - jiancha1's group and sheet: its members write, 党建部 returns, leadership reads; jiancha2 404;
# - reports: exports for admins, 党建部 and leadership, a job only for whoever asked for it (404 to other
#   readers, 403 to the rest); imports for admins and 党建部 (units: its subtree), the branch list for admins;
# - the audit list: admins and leadership; the admin site: staff (admin, and 党建部 for the scheme).
# name: (method, anonymous, dangjian, jiancha1, shuji, lingdao, admin, other_secretary, jiancha2)
MATRIX: dict[str, tuple] = {
    "admin:index": ("GET", 302, 200, 302, 302, 302, 200, 302, 302),
    # OIDC is not configured here: its URLs do not exist (tests/accounts/test_oidc_views.py has it on).
    "accounts:oidc_callback": ("GET", 404, 404, 404, 404, 404, 404, 404, 404),
    "accounts:oidc_login": ("GET", 404, 404, 404, 404, 404, 404, 404, 404),
    "audit:list": ("GET", "login", 403, 403, 403, 200, 200, 403, 403),
    "boards:adjustments": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "boards:adjustments_save": ("POST", "login", 400, 403, 403, 403, 403, 403, 403),
    "boards:announcement": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "boards:board": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "boards:branch": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "fairness:calibration_add": ("POST", "login", 400, 404, 404, 403, 404, 404, 404),
    "fairness:calibration_remove": ("POST", "login", 302, 404, 404, 403, 404, 404, 404),
    "dashboards:dashboard": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "dashboards:branch_lookup": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "boards:exclusion_create": ("POST", "login", 400, 404, 404, 403, 404, 404, 404),
    "boards:exclusion_delete": ("POST", "login", 302, 404, 404, 403, 404, 404, 404),
    "boards:history": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "dashboards:overview": ("GET", "login", 200, 403, 403, 200, 403, 403, 403),
    "boards:preview": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "boards:publish": ("POST", "login", 302, 404, 404, 403, 404, 404, 404),
    "boards:quarters": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "boards:rules": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "fairness:severity": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "fairness:severity_run": ("POST", "login", 302, 404, 404, 403, 404, 404, 404),
    "ratings:stars": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "ratings:stars_save": ("POST", "login", 400, 403, 403, 403, 403, 403, 403),
    "members:member_add": ("POST", "login", 403, 404, 400, 403, 404, 404, 404),
    "members:member_points": ("GET", "login", 200, 404, 200, 200, 404, 404, 404),
    "members:point_add": ("POST", "login", 403, 404, 400, 403, 404, 404, 404),
    "members:ranking_publish": ("POST", "login", 302, 404, 302, 403, 404, 404, 404),
    "home": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "interviews:detail": ("GET", "login", 200, 404, 200, 200, 404, 404, 404),
    "interviews:evidence": ("GET", "login", 200, 404, 200, 200, 404, 404, 404),
    "interviews:evidence_add": ("POST", "login", 403, 404, 400, 403, 404, 404, 404),
    "interviews:evidence_remove": ("POST", "login", 403, 404, 302, 403, 404, 404, 404),
    "interviews:item": ("GET", "login", 200, 404, 200, 200, 404, 404, 404),
    "interviews:item_accept": ("POST", "login", 302, 404, 403, 403, 404, 404, 404),
    "interviews:item_add": ("POST", "login", 400, 404, 403, 403, 404, 404, 404),
    "interviews:item_answer": ("POST", "login", 403, 404, 400, 403, 404, 404, 404),
    "interviews:item_progress": ("POST", "login", 403, 404, 400, 403, 404, 404, 404),
    "interviews:item_return": ("POST", "login", 400, 404, 403, 403, 404, 404, 404),
    "interviews:list": ("GET", "login", 200, 403, 200, 200, 403, 200, 403),
    "interviews:look_back": ("GET", "login", 200, 404, 200, 200, 404, 404, 404),
    "interviews:look_back_add": ("POST", "login", 400, 404, 403, 403, 404, 404, 404),
    "interviews:look_back_record": ("POST", "login", 302, 404, 403, 403, 404, 404, 404),
    "interviews:mine": ("GET", "login", 200, 200, 302, 200, 200, 200, 200),
    "interviews:minutes": ("POST", "login", 400, 404, 403, 403, 404, 404, 404),
    "interviews:overview": ("GET", "login", 200, 403, 403, 200, 403, 403, 403),
    "interviews:schedule": ("POST", "login", 400, 404, 403, 403, 404, 404, 404),
    "login": ("GET", 200, 200, 200, 200, 200, 200, 200, 200),
    "logout": ("POST", "login", "login", "login", "login", "login", "login", "login", "login"),
    "reports:rollup_export": ("POST", "login", 302, 404, 404, 302, 404, 404, 404),
    "reports:branch_list_download": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "reports:export_create": ("POST", "login", 400, 403, 403, 400, 400, 403, 403),
    "reports:export_detail": ("GET", "login", 404, 403, 403, 404, 200, 403, 403),
    "reports:export_download": ("GET", "login", 404, 403, 403, 404, 200, 403, 403),
    "reports:export_status": ("GET", "login", 404, 403, 403, 404, 200, 403, 403),
    "reports:import_branches": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "reports:import_users": ("GET", "login", 403, 403, 403, 403, 200, 403, 403),
    "reports:import_units": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "reports:unit_list_download": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "reports:import_scores": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "reports:index": ("GET", "login", 200, 200, 403, 200, 200, 403, 200),
    "rollup:index": ("GET", "login", 302, 404, 404, 302, 404, 404, 404),
    "rollup:page": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "rollup:screen": ("GET", "login", 200, 404, 404, 200, 404, 404, 404),
    "rollup:unit": ("GET", "login", 302, 404, 404, 302, 404, 404, 404),
    "reports:template_download": ("GET", "login", 200, 403, 403, 403, 200, 403, 403),
    "scoring:assignment_auto": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:assignment_move": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:contribution_delete": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:contributions": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:contributions_current": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:deduction_create": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),  # frozen: back to the scheme
    "scoring:deduction_delete": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:deduction_edit": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:deduction_move": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:group_create": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:group_delete": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:group_detail": ("GET", "login", 200, 200, 404, 200, 404, 404, 404),
    "scoring:group_edit": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:groups_current": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:indicator_create": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:indicator_delete": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:indicator_edit": ("GET", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:indicator_move": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:index": ("GET", "login", 302, 302, 302, 302, 302, 302, 302),
    "scoring:my_groups": ("GET", "login", 200, 200, 200, 200, 200, 200, 200),
    "scoring:quarter_create": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:quarter_groups": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:quarter_overview": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:quarter_setup": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:quarter_transition": ("POST", "login", 400, 403, 403, 403, 403, 403, 403),
    "scoring:scheme": ("GET", "login", 200, 403, 403, 403, 403, 403, 403),
    "scoring:sheet": ("GET", "login", 200, 200, 404, 200, 404, 404, 404),
    "scoring:sheet_return": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
    "scoring:sheet_save": ("POST", "login", 403, 302, 404, 403, 404, 404, 404),
    "scoring:template_publish": ("POST", "login", 302, 403, 403, 403, 403, 403, 403),
}


def request_as(client, role: str, method: str, url: str, users: dict):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return response.status_code


def test_every_named_url_has_an_entry():
    urls = named_urls()
    missing = sorted(set(urls) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(urls) - {"admin:index"})
    assert not missing, f"URLs without an access-matrix entry: {missing}"
    assert not stale, f"entries for URLs that no longer exist: {stale}"


def test_every_role_gets_the_status_the_matrix_says(client, world):
    urls = named_urls()
    urls["admin:index"] = "admin/"
    dump = os.environ.get("MATRIX_DUMP")
    wrong, drafted = [], []
    for name, route in sorted(urls.items()):
        url = reverse(name, kwargs=kwargs_for(route, name, world))
        method = MATRIX[name][0] if name in MATRIX else "GET"
        if name not in MATRIX and request_as(client, "dangjian", "GET", url, world.users).status_code == 405:
            method = "POST"
        got = tuple(outcome(request_as(client, role, method, url, world.users)) for role in ROLES)
        if dump:
            drafted.append(f"    {name!r}: ({method!r}, {', '.join(repr(g) for g in got)}),")
        elif got != tuple(MATRIX[name][1:]):
            wrong.append(f"{name} {method} {url}\n   expected {MATRIX[name][1:]}\n   got      {got}")
    if dump:
        print("\n".join(drafted))
        pytest.skip("MATRIX_DUMP: drafted the table, checked nothing")
    assert not wrong, "\n".join(wrong)


def test_lists_open_to_secretaries_show_only_their_own_branch(client, world):
    from branches.models import Branch

    shuji_branch = Branch.objects.get(pk=world.branch).name
    for name in ("interviews:list", "interviews:mine"):
        client.force_login(world.users["shuji"])
        assert shuji_branch in client.get(reverse(name), follow=True).content.decode(), name
        client.force_login(world.users["other_secretary"])
        assert shuji_branch not in client.get(reverse(name), follow=True).content.decode(), name


def test_a_branch_page_shows_its_problem_list_only_to_its_own_people_and_the_readers(client, world):
    from boards.models import Exclusion
    from boards.services import quarter_publish
    from scoring.models import Problem, Quarter

    Exclusion.objects.filter(quarter__code=world.code).delete()
    quarter_publish(quarter=Quarter.objects.get(code=world.code), user=world.users["dangjian"])
    problem = Problem.objects.filter(sheet__branch_id=world.branch, sheet__quarter__code=world.code).first()
    assert problem is not None, "the demo gives shuji's branch (blue in 2019Q1) its problems"
    url = reverse("boards:branch", kwargs={"pk": world.branch}) + f"?quarter={world.code}"
    seen = {}
    for role in ("dangjian", "shuji", "lingdao", "other_secretary", "jiancha2", "admin"):
        client.force_login(world.users[role])
        seen[role] = problem.description in client.get(url).content.decode()
    assert seen == {
        "dangjian": True,
        "shuji": True,
        "lingdao": True,
        "other_secretary": False,
        "jiancha2": False,
        "admin": False,
    }


def test_an_inspector_downloads_only_the_own_groups_score_template(client, world):
    url = reverse("reports:template_download", kwargs={"code": world.code}) + f"?group={world.group}"
    client.force_login(world.users["jiancha1"])
    assert client.get(url).status_code == 200
    for role in ("jiancha2", "shuji", "other_secretary"):
        client.force_login(world.users[role])
        assert client.get(url).status_code in (403, 404), role

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from branches import roles
from branches.models import Branch, User
from demo.organisation import DEMO_PASSWORD
from scoring.models import InspectionGroup, Problem, Quarter, Score, ScoreSheet

pytestmark = pytest.mark.django_db

REPORT_NAMES = [
    "白银变电运检中心党支部",
    "电力调度中心党总支部",
    "财务部党支部",
    "平川区供电公司党总支",
    "鸿运物业分公司党支部",
    "营销部党支部",
    "靖远县供电公司党总支",
    "城区分公司党支部",
]


def test_the_demo_has_32_branches_over_three_categories(demo):
    active = Branch.objects.filter(is_active=True)
    assert active.count() == 32
    assert {c: active.filter(category=c).count() for c in "123"} == {"1": 9, "2": 11, "3": 12}
    for name in REPORT_NAMES:
        assert active.filter(name=name).exists(), name


def test_the_demo_has_sub_branches_under_a_general_branch(demo):
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    assert pingchuan.kind == Branch.Kind.GENERAL
    assert pingchuan.children.count() == 2


def test_every_role_has_a_demo_account_that_can_log_in(demo, client):
    for username, role in [
        ("dangjian", roles.DEPT),
        ("jiancha1", roles.INSPECTOR),
        ("shuji", roles.SECRETARY),
        ("lingdao", roles.LEADER),
        ("admin", roles.ADMIN),
    ]:
        user = User.objects.get(username=username)
        assert roles.has_role(user, role)
        assert client.login(username=username, password=DEMO_PASSWORD)
        client.logout()


def test_the_demo_quarter_is_open_with_three_groups_and_complete_submitted_scores(demo):
    quarter = Quarter.objects.get(code="2019Q1")
    assert quarter.status == Quarter.Status.SCORING
    assert InspectionGroup.objects.filter(quarter=quarter).count() == 3
    sheets = ScoreSheet.objects.filter(quarter=quarter)
    assert sheets.count() == 32
    assert not sheets.exclude(status=ScoreSheet.Status.SUBMITTED).exists()
    assert not Score.objects.filter(sheet__quarter=quarter, value__isnull=True).exists()
    assert Problem.objects.filter(
        sheet__branch__name="平川区供电公司党总支", description="下设支部补选委员流程不规范"
    ).exists()


def test_no_group_inspects_a_branch_of_its_own_members(demo):
    for sheet in ScoreSheet.objects.select_related("group").prefetch_related("group__members"):
        assert sheet.branch_id not in {m.branch_id for m in sheet.group.members.all()}


def test_the_seed_is_idempotent(demo):
    counts = (Branch.objects.count(), User.objects.count(), Score.objects.count(), Problem.objects.count())
    call_command("seed_demo", "--company-only", verbosity=0)
    assert (Branch.objects.count(), User.objects.count(), Score.objects.count(), Problem.objects.count()) == counts


def test_by_default_it_seeds_the_province_and_a_second_city(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "国网甘肃省电力公司" in out and "国网定西供电公司" in out
    assert Branch.objects.filter(is_active=True).count() == 32 + 11
    assert set(Quarter.objects.values_list("unit__name", flat=True)) == {"国网白银供电公司", "国网定西供电公司"}


def test_if_empty_skips_a_database_that_has_data(demo, capsys):
    call_command("seed_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out


def test_it_refuses_to_run_under_production_settings(db, settings):
    settings.DEMO_DATA_ALLOWED = False  # as in baiyin_eval.settings.production
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_demo")
    assert not Branch.objects.exists()


def test_every_follow_up_of_the_demos_published_quarters_runs_to_the_end(demo):
    """The demo's history is published through the real service; its follow-ups (notices,
    interviews, star ratings, the severity report on the demo's real scores) all finish. The
    severity report once failed here on numpy 2's scalar repr ("np.float64(9.5)")."""
    from boards.followups import follow_ups_run_pending
    from boards.models import FollowUp

    jobs = follow_ups_run_pending()
    assert jobs, "the demo publishes quarters, so it has follow-ups"
    failed = [(job.name, job.error) for job in jobs if job.status != FollowUp.Status.DONE]
    assert failed == []

"""党建部 creates the next quarter from the portal: what it copies, and what it shows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from branches import roles
from scoring.models import DeductionItem, Indicator, InspectionGroup, Quarter, ScoreSheet
from scoring.services import deduction_save, indicator_save, next_quarter_code, quarter_create, quarter_transition
from tests import factories
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
S = Quarter.Status


@pytest.fixture
def q1(db):
    """2019Q1 with an edited scheme (a changed maximum, an extra deduction item) and two groups."""
    quarter = quarter_create(code="2019Q1")
    s1 = quarter.indicators.get(code="S1")
    s1.max_score = Decimal("11.5")
    indicator_save(indicator=s1)
    deduction_save(
        item=DeductionItem(indicator=s1, description="委员补选未报批", points=Decimal("1.5"), per_occurrence=False)
    )
    home = factories.BranchFactory(name="甲党支部")
    leader = make_user(roles.INSPECTOR, username="wang", name="王磊", branch=home)
    member = make_user(roles.INSPECTOR, username="liu", name="刘芳")
    gone = make_user(roles.INSPECTOR, username="gone", name="已离职", is_active=False)
    first = InspectionGroup.objects.create(quarter=quarter, name="第一检查组", leader=leader)
    first.members.set([leader, member, gone])
    second = InspectionGroup.objects.create(quarter=quarter, name="第二检查组", leader=gone)
    second.members.set([gone])
    ScoreSheet.objects.create(quarter=quarter, branch=factories.BranchFactory(), group=first, version=1)
    quarter_transition(quarter=quarter, to=S.SCORING)
    quarter.refresh_from_db()
    return quarter


def scheme_rows(quarter):
    return [
        (i.category, i.code, i.name, i.max_score, i.guidance, i.position)
        for i in quarter.indicators.order_by("category", "position", "code")
    ]


def deduction_rows(quarter):
    return sorted(
        DeductionItem.objects.filter(indicator__quarter=quarter).values_list(
            "indicator__code", "description", "points", "per_occurrence", "cap", "position"
        )
    )


class TestQuarterCreateCopies:
    def test_it_copies_the_scheme_and_its_deduction_items_as_new_rows(self, q1):
        q2 = quarter_create(code="2019Q2", copy_from=q1, copy_groups=True)
        assert scheme_rows(q2) == scheme_rows(q1)
        assert deduction_rows(q2) == deduction_rows(q1)
        assert ("S1", "委员补选未报批", Decimal("1.5"), False, None, 3) in deduction_rows(q2)
        assert not set(q2.indicators.values_list("pk", flat=True)) & set(q1.indicators.values_list("pk", flat=True))
        assert not DeductionItem.objects.filter(indicator__quarter=q2, indicator__in=q1.indicators.all()).exists()
        assert q2.copied_from == q1
        assert q2.status == S.PREPARING

    def test_it_copies_the_groups_with_leaders_and_active_members_but_no_assignment(self, q1):
        q2 = quarter_create(code="2019Q2", copy_from=q1, copy_groups=True)
        groups = {g.name: g for g in q2.groups.all()}
        assert set(groups) == {"第一检查组", "第二检查组"}
        assert groups["第一检查组"].leader.username == "wang"
        assert set(groups["第一检查组"].members.values_list("username", flat=True)) == {"wang", "liu"}
        assert groups["第二检查组"].leader is None  # the inactive leader is not carried over
        assert not groups["第二检查组"].members.exists()
        assert not ScoreSheet.objects.filter(quarter=q2).exists()
        assert q1.groups.get(name="第一检查组").members.count() == 3  # the source is untouched

    def test_without_copy_groups_no_group_is_created(self, q1):
        q2 = quarter_create(code="2019Q2", copy_from=q1)
        assert not q2.groups.exists()

    def test_the_contribution_cap_is_carried_when_the_field_exists(self, q1):
        if not any(f.name == "contribution_cap" for f in Quarter._meta.get_fields()):
            pytest.skip("Quarter.contribution_cap is not on this branch yet")
        Quarter.objects.filter(pk=q1.pk).update(contribution_cap=Decimal("5"))
        q1.refresh_from_db()
        q2 = quarter_create(code="2019Q2", copy_from=q1)
        assert q2.contribution_cap == Decimal("5")

    def test_by_default_it_copies_the_latest_earlier_quarter(self, q1):
        quarter_create(code="2019Q3")  # copies 2019Q1 (the latest before it)
        q2 = quarter_create(code="2019Q2")
        assert q2.copied_from == q1

    def test_the_first_quarter_gets_the_default_scheme_with_deduction_items(self):
        quarter = quarter_create(code="2019Q1")
        assert quarter.copied_from is None
        standard = quarter.indicators.filter(category="")
        assert all(i.deductions.exists() for i in standard)  # five standardizations carry 扣分标准
        assert not DeductionItem.objects.filter(indicator__quarter=quarter).exclude(indicator__category="").exists()
        s2 = quarter.indicators.get(code="S2").deductions.get(description="“三会一课”未按期开展")
        assert (s2.points, s2.per_occurrence, s2.cap) == (Decimal("2.0"), True, Decimal("6.0"))
        assert s2.rule_text == "每发现一处扣 2 分，最多扣 6 分"

    def test_next_quarter_code_follows_the_latest(self, q1):
        assert next_quarter_code() == "2019Q2"
        quarter_create(code="2019Q4")
        assert next_quarter_code() == "2020Q1"


class TestCommandUsesTheSameService:
    def test_create_quarter_copies_scheme_and_groups(self, q1, capsys):
        call_command("create_quarter", "2019Q2")
        q2 = Quarter.objects.get(code="2019Q2")
        assert scheme_rows(q2) == scheme_rows(q1)
        assert deduction_rows(q2) == deduction_rows(q1)
        assert q2.groups.count() == 2
        assert "复制自 2019Q1" in capsys.readouterr().out

    def test_without_groups_leaves_them_behind(self, q1):
        call_command("create_quarter", "2019Q2", "--without-groups")
        assert not Quarter.objects.get(code="2019Q2").groups.exists()


class TestQuarterCreatePage:
    def test_it_offers_the_next_code_and_the_latest_quarter(self, client, dept_user, q1):
        client.force_login(dept_user)
        response = client.get("/scoring/quarters/new/")
        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial["code"] == "2019Q2"
        assert form.fields["copy_from"].initial == q1

    def test_creating_shows_what_was_copied(self, client, dept_user, q1):
        client.force_login(dept_user)
        response = client.post(
            "/scoring/quarters/new/", {"code": "2019q2", "copy_from": q1.pk, "copy_groups": "on"}, follow=True
        )
        assert response.redirect_chain[-1][0] == "/scoring/q/2019Q2/setup/"
        q2 = Quarter.objects.get(code="2019Q2")
        page = response.content.decode()
        assert "已新建季度 2019Q2（准备）" in page
        assert "本季度由 2019Q1 复制而来" in page
        assert "第一检查组" in page and "王磊" in page and "刘芳" in page and "已离职" not in page
        totals = {t.category: t for t in response.context["totals"]}
        assert totals["1"].indicators == q2.indicators.filter(category__in=["", "1"]).count()
        assert totals["1"].deductions == DeductionItem.objects.filter(indicator__quarter=q2).count()
        assert totals["1"].total == Decimal("99.5")  # S1 was lowered to 11.5 in 2019Q1
        assert "不是 100 分" in page
        assert "开始评分" in page
        assert q2.groups.count() == 2

    def test_groups_are_left_behind_when_unchecked(self, client, dept_user, q1):
        client.force_login(dept_user)
        client.post("/scoring/quarters/new/", {"code": "2019Q2", "copy_from": q1.pk})
        assert not Quarter.objects.get(code="2019Q2").groups.exists()

    @pytest.mark.parametrize(
        ("code", "message"), [("2019Q1", "季度 2019Q1 已存在。"), ("2019Q5", "格式不正确"), ("", "请填写季度编号。")]
    )
    def test_a_bad_code_is_explained_next_to_the_field(self, client, dept_user, q1, code, message):
        client.force_login(dept_user)
        response = client.post("/scoring/quarters/new/", {"code": code, "copy_from": q1.pk})
        assert response.status_code == 400
        assert any(message in e for e in response.context["form"].errors["code"])
        assert Quarter.objects.count() == 1

    def test_then_the_dept_opens_scoring_from_the_setup_page(self, client, dept_user, q1):
        client.force_login(dept_user)
        client.post("/scoring/quarters/new/", {"code": "2019Q2", "copy_from": q1.pk, "copy_groups": "on"})
        response = client.post("/scoring/q/2019Q2/transition/", {"to": "scoring"}, follow=True)
        assert "已变为“评分中”" in response.content.decode()
        assert Quarter.objects.get(code="2019Q2").status == S.SCORING

    @pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY, roles.ADMIN])
    def test_only_the_dept_may_create_a_quarter(self, client, q1, role):
        client.force_login(make_user(role, username=f"u-{role}"))
        assert client.get("/scoring/quarters/new/").status_code == 403
        assert client.post("/scoring/quarters/new/", {"code": "2019Q2", "copy_from": q1.pk}).status_code == 403
        assert client.get("/scoring/q/2019Q1/setup/").status_code == 403
        assert not Quarter.objects.filter(code="2019Q2").exists()

    def test_the_setup_page_of_an_unknown_quarter_is_404(self, client, dept_user):
        client.force_login(dept_user)
        assert client.get("/scoring/q/2099Q1/setup/").status_code == 404

    def test_the_setup_page_runs_a_fixed_number_of_queries(self, client, dept_user, q1, django_assert_num_queries):
        quarter_create(code="2019Q2", copy_from=q1, copy_groups=True)
        client.force_login(dept_user)
        # savepoint and release (ATOMIC_REQUESTS); session, user, roles; 党建部's evaluating unit (issue
        # 17); the quarter; indicators; their deductions; the adjustment table; quarters for the
        # switcher; groups; their members; their sheets
        with django_assert_num_queries(14):
            assert client.get("/scoring/q/2019Q2/setup/").status_code == 200


class TestHomeCard:
    def test_the_scheme_link_is_the_portal_editor_not_the_admin(self, client, dept_user, q1):
        client.force_login(dept_user)
        page = client.get("/").content.decode()
        assert "/scoring/q/2019Q1/scheme/" in page
        assert "/admin/scoring/indicator/" not in page
        assert "/scoring/quarters/new/" in page

    def test_without_any_quarter_the_dept_is_offered_to_create_one(self, client, dept_user):
        client.force_login(dept_user)
        page = client.get("/").content.decode()
        assert "还没有考评季度" in page and "/scoring/quarters/new/" in page


def test_indicator_objects_stay_in_their_quarter(q1):
    q2 = quarter_create(code="2019Q2", copy_from=q1)
    changed = q2.indicators.get(code="S2")
    changed.name = "组织生活（2019Q2）"
    indicator_save(indicator=changed)
    assert Indicator.objects.get(quarter=q1, code="S2").name == "组织生活标准化"

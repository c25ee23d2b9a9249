"""The scheme editor (考核指标体系) in the portal: editable while 准备, read-only after, 党建部 only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from branches import roles
from scoring.models import DeductionItem, Indicator, Quarter
from scoring.services import quarter_create, quarter_transition
from tests.helpers import make_user

pytestmark = pytest.mark.django_db
S = Quarter.Status


@pytest.fixture
def quarter(db):
    return quarter_create(code="2019Q2")


@pytest.fixture
def dept(client, dept_user):
    client.force_login(dept_user)
    return client


def section_codes(quarter, category=""):
    return list(quarter.indicators.filter(category=category).order_by("position", "id").values_list("code", flat=True))


class TestEditingWhilePreparing:
    def test_the_page_lists_each_section_with_its_deduction_items_and_totals(self, dept, quarter):
        response = dept.get("/scoring/q/2019Q2/scheme/")
        assert response.status_code == 200
        page = response.content.decode()
        assert [s.title for s in response.context["sections"]] == [
            "五个标准化（各类别通用）",
            "Ⅰ类特色指标",
            "Ⅱ类特色指标",
            "Ⅲ类特色指标",
        ]
        assert "“三会一课”未按期开展：<strong>每发现一处扣 2 分，最多扣 6 分</strong>" in page
        assert [t.total for t in response.context["totals"]] == [Decimal("100")] * 3
        assert "不是 100 分" not in page
        assert "＋ 添加指标" in page

    def test_adding_a_criterion_puts_it_at_the_end_of_its_section(self, dept, quarter):
        response = dept.post(
            "/scoring/q/2019Q2/scheme/add/?category=3",
            {"code": "C5", "name": "学习强国使用", "max_score": "2.5", "guidance": "党员学习情况。"},
        )
        assert response.status_code == 302
        added = quarter.indicators.get(code="C5")
        assert (added.category, added.max_score, added.guidance) == ("3", Decimal("2.5"), "党员学习情况。")
        assert section_codes(quarter, "3") == ["C1", "C2", "C3", "C4", "C5"]

    def test_a_total_other_than_100_is_shown_as_a_warning(self, dept, quarter):
        dept.post("/scoring/q/2019Q2/scheme/add/?category=3", {"code": "C5", "name": "新增", "max_score": "2.5"})
        response = dept.get("/scoring/q/2019Q2/scheme/")
        totals = {t.category: t for t in response.context["totals"]}
        assert totals["3"].total == Decimal("102.5") and not totals["3"].is_target
        assert totals["1"].is_target
        assert "合计 102.5 分，不是 100 分" in response.content.decode()

    def test_adding_to_the_five_standardizations_counts_for_every_category(self, dept, quarter):
        dept.post("/scoring/q/2019Q2/scheme/add/?category=", {"code": "S6", "name": "新增标准化", "max_score": "1"})
        assert quarter.indicators.get(code="S6").category == ""
        totals = dept.get("/scoring/q/2019Q2/scheme/").context["totals"]
        assert [t.total for t in totals] == [Decimal("101")] * 3

    def test_editing_changes_code_name_maximum_and_guidance(self, dept, quarter):
        s1 = quarter.indicators.get(code="S1")
        response = dept.post(
            f"/scoring/indicators/{s1.pk}/edit/",
            {"code": "S1a", "name": "组织建设", "max_score": "10", "guidance": "新说明"},
        )
        assert response.status_code == 302
        s1.refresh_from_db()
        assert (s1.code, s1.name, s1.max_score, s1.guidance) == ("S1a", "组织建设", Decimal("10.0"), "新说明")

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"code": "S2", "name": "重复", "max_score": "5"}, "code", "本季度已有编号为“S2”的指标。"),
            ({"code": "X1", "name": "零分", "max_score": "0"}, "max_score", "满分必须大于 0。"),
            ({"code": "X1", "name": "超大", "max_score": "120"}, "max_score", "满分不能超过 100 分。"),
            ({"code": "X1", "name": "小数", "max_score": "1.25"}, "max_score", "最多保留一位小数。"),
            ({"code": "X1", "name": "文字", "max_score": "十"}, "max_score", "请输入数字"),
            ({"code": "", "name": "无编号", "max_score": "5"}, "code", "请填写编号。"),
        ],
    )
    def test_a_bad_indicator_is_explained_next_to_its_field(self, dept, quarter, data, field, message):
        before = quarter.indicators.count()
        response = dept.post("/scoring/q/2019Q2/scheme/add/?category=1", data)
        assert response.status_code == 400
        assert any(message in e for e in response.context["form"].errors[field])
        assert quarter.indicators.count() == before

    def test_removing_an_indicator_removes_its_deduction_items(self, dept, quarter):
        s5 = quarter.indicators.get(code="S5")
        assert s5.deductions.exists()
        assert dept.post(f"/scoring/indicators/{s5.pk}/delete/").status_code == 302
        assert not quarter.indicators.filter(code="S5").exists()
        assert not DeductionItem.objects.filter(indicator_id=s5.pk).exists()

    def test_reordering_moves_one_place_within_the_section(self, dept, quarter):
        s3 = quarter.indicators.get(code="S3")
        dept.post(f"/scoring/indicators/{s3.pk}/move/", {"direction": "up"})
        assert section_codes(quarter) == ["S1", "S3", "S2", "S4", "S5"]
        dept.post(f"/scoring/indicators/{s3.pk}/move/", {"direction": "down"})
        dept.post(f"/scoring/indicators/{s3.pk}/move/", {"direction": "down"})
        assert section_codes(quarter) == ["S1", "S2", "S4", "S3", "S5"]
        s1 = quarter.indicators.get(code="S1")
        dept.post(f"/scoring/indicators/{s1.pk}/move/", {"direction": "up"})  # already first: nothing moves
        assert section_codes(quarter) == ["S1", "S2", "S4", "S3", "S5"]
        assert section_codes(quarter, "1") == ["A1", "A2", "A3", "A4", "A5"]  # other sections untouched

    def test_the_sheet_follows_the_new_order(self, dept, quarter):
        from scoring.selectors import scheme_for_category

        s5 = quarter.indicators.get(code="S5")
        for _ in range(4):
            dept.post(f"/scoring/indicators/{s5.pk}/move/", {"direction": "up"})
        assert [i.code for i in scheme_for_category(quarter, "2")][:2] == ["S5", "S1"]


class TestDeductionItems:
    def test_adding_editing_and_removing_a_deduction_item(self, dept, quarter):
        c1 = quarter.indicators.get(code="C1")
        response = dept.post(
            f"/scoring/indicators/{c1.pk}/deductions/new/",
            {"description": "党课未按期讲授", "points": "2", "per_occurrence": "", "cap": ""},
        )
        assert response.status_code == 302
        item = c1.deductions.get()
        assert (item.points, item.per_occurrence, item.cap) == (Decimal("2.0"), False, None)
        assert item.rule_text == "扣 2 分"
        dept.post(
            f"/scoring/deductions/{item.pk}/edit/",
            {"description": "支委会记录缺失", "points": "0.5", "per_occurrence": "on", "cap": "3"},
        )
        item.refresh_from_db()
        assert item.rule_text == "每发现一处扣 0.5 分，最多扣 3 分"
        assert "支委会记录缺失" in dept.get("/scoring/q/2019Q2/scheme/").content.decode()
        dept.post(f"/scoring/deductions/{item.pk}/delete/")
        assert not c1.deductions.exists()

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"description": "", "points": "1"}, "description", "请填写扣分情形"),
            ({"description": "x", "points": "0"}, "points", "扣分必须大于 0。"),
            ({"description": "x", "points": "16"}, "points", "扣分不能超过本项满分 15 分。"),
            (
                {"description": "x", "points": "2", "per_occurrence": "on", "cap": "1"},
                "cap",
                "最多扣分不能小于每次扣分。",
            ),
            (
                {"description": "x", "points": "2", "per_occurrence": "on", "cap": "20"},
                "cap",
                "最多扣分不能超过本项满分",
            ),
        ],
    )
    def test_a_bad_deduction_item_is_explained(self, dept, quarter, data, field, message):
        c1 = quarter.indicators.get(code="C1")  # maximum 15
        response = dept.post(f"/scoring/indicators/{c1.pk}/deductions/new/", data)
        assert response.status_code == 400
        assert any(message in e for e in response.context["form"].errors[field])
        assert not c1.deductions.exists()


class TestFrozenOnceScoringOpens:
    @pytest.fixture
    def frozen(self, quarter):
        return quarter_transition(quarter=quarter, to=S.SCORING)

    def test_the_page_is_read_only_without_any_edit_control(self, dept, frozen):
        page = dept.get("/scoring/q/2019Q2/scheme/").content.decode()
        assert "考核指标体系已冻结，只能查看" in page
        for control in ("＋ 添加指标", "＋ 添加扣分标准", "/edit/", "/delete/", "/move/"):
            assert control not in page
        assert "每发现一处扣 2 分" in page  # the rules stay readable

    def test_every_write_is_refused_with_a_message_and_changes_nothing(self, dept, frozen):
        s1 = frozen.indicators.get(code="S1")
        item = s1.deductions.first()
        before = (
            list(frozen.indicators.values_list("code", "name", "max_score", "position")),
            list(DeductionItem.objects.filter(indicator__quarter=frozen).values_list("description", "points")),
        )
        attempts = [
            ("/scoring/q/2019Q2/scheme/add/?category=1", {"code": "X1", "name": "新增", "max_score": "5"}),
            (f"/scoring/indicators/{s1.pk}/edit/", {"code": "S1", "name": "改名", "max_score": "30"}),
            (f"/scoring/indicators/{s1.pk}/delete/", {}),
            (f"/scoring/indicators/{s1.pk}/move/", {"direction": "down"}),
            (f"/scoring/indicators/{s1.pk}/deductions/new/", {"description": "新扣分", "points": "1"}),
            (f"/scoring/deductions/{item.pk}/edit/", {"description": "改", "points": "3"}),
            (f"/scoring/deductions/{item.pk}/delete/", {}),
        ]
        for url, data in attempts:
            response = dept.post(url, data, follow=True)
            assert response.redirect_chain == [("/scoring/q/2019Q2/scheme/", 302)], url
            assert "考核指标体系已冻结，不能再修改" in response.content.decode(), url
        after = (
            list(frozen.indicators.values_list("code", "name", "max_score", "position")),
            list(DeductionItem.objects.filter(indicator__quarter=frozen).values_list("description", "points")),
        )
        assert after == before

    def test_an_old_edit_link_leads_back_to_the_read_only_page(self, dept, frozen):
        s1 = frozen.indicators.get(code="S1")
        response = dept.get(f"/scoring/indicators/{s1.pk}/edit/", follow=True)
        assert response.status_code == 200
        assert "考核指标体系已冻结" in response.content.decode()

    def test_a_form_posted_after_opening_is_refused_by_the_service_too(self, dept, quarter):
        """The editor opened while 准备; scoring opened before it was saved."""
        s1 = quarter.indicators.get(code="S1")
        Quarter.objects.filter(pk=quarter.pk).update(status=S.SCORING)
        response = dept.post(f"/scoring/indicators/{s1.pk}/edit/", {"code": "S1", "name": "改名", "max_score": "5"})
        assert response.status_code == 302
        assert Indicator.objects.get(pk=s1.pk).name == "组织建设标准化"


class TestAccess:
    @pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY, roles.ADMIN])
    def test_other_roles_get_403_and_change_nothing(self, client, quarter, role):
        client.force_login(make_user(role, username=f"u-{role}"))
        s1 = quarter.indicators.get(code="S1")
        item = s1.deductions.first()
        assert client.get("/scoring/q/2019Q2/scheme/").status_code == 403
        assert client.get(f"/scoring/indicators/{s1.pk}/edit/").status_code == 403
        for url, data in [
            ("/scoring/q/2019Q2/scheme/add/?category=1", {"code": "X1", "name": "新增", "max_score": "5"}),
            (f"/scoring/indicators/{s1.pk}/edit/", {"code": "S1", "name": "改名", "max_score": "5"}),
            (f"/scoring/indicators/{s1.pk}/delete/", {}),
            (f"/scoring/indicators/{s1.pk}/move/", {"direction": "down"}),
            (f"/scoring/indicators/{s1.pk}/deductions/new/", {"description": "新扣分", "points": "1"}),
            (f"/scoring/deductions/{item.pk}/delete/", {}),
        ]:
            assert client.post(url, data).status_code == 403, url
        assert quarter.indicators.count() == 19
        assert Indicator.objects.get(pk=s1.pk).name == "组织建设标准化"
        assert DeductionItem.objects.filter(pk=item.pk).exists()

    def test_anonymous_is_sent_to_login(self, client, quarter):
        response = client.get("/scoring/q/2019Q2/scheme/")
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_unknown_objects_and_sections_are_404(self, dept, quarter):
        assert dept.get("/scoring/q/2099Q1/scheme/").status_code == 404
        assert dept.get("/scoring/indicators/999999/edit/").status_code == 404
        assert dept.get("/scoring/q/2019Q2/scheme/add/?category=9").status_code == 404

    def test_writes_need_post(self, dept, quarter):
        s1 = quarter.indicators.get(code="S1")
        assert dept.get(f"/scoring/indicators/{s1.pk}/delete/").status_code == 405
        assert quarter.indicators.filter(pk=s1.pk).exists()


def test_the_scheme_page_runs_a_fixed_number_of_queries(dept, quarter, django_assert_num_queries):
    # savepoint and release; session, user, roles; 党建部's evaluating unit (issue 17); the quarter;
    # indicators; their deduction items; quarters for the switcher
    with django_assert_num_queries(10):
        assert dept.get("/scoring/q/2019Q2/scheme/").status_code == 200

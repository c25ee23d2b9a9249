"""Who sees and does what: published boards for everyone logged in, previews and writes for 党建部
(leadership reads), 404 to outsiders, 403 to read-only roles."""

from __future__ import annotations

import re

import pytest

from boards.models import BoardEntry, Exclusion
from boards.services import quarter_publish
from scoring.models import Quarter

pytestmark = pytest.mark.django_db

READERS = ["dangjian", "lingdao"]
OUTSIDERS = ["jiancha1", "shuji", "admin"]
EVERYONE = READERS + OUTSIDERS


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("username", READERS)
@pytest.mark.parametrize("page", ["", "preview/", "announcement/"])
def test_the_dept_and_leadership_see_the_unpublished_preview(client, demo, username, page):
    response = get(client, demo.users[username], f"/boards/2019Q1/{page}")
    assert response.status_code == 200
    assert "预览" in response.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
@pytest.mark.parametrize("page", ["", "preview/", "announcement/"])
def test_nobody_else_learns_of_an_unpublished_board(client, demo, username, page):
    assert get(client, demo.users[username], f"/boards/2019Q1/{page}").status_code == 404


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_unpublished_quarter_is_hidden_on_a_branch_page_too(client, demo, username):
    branch = demo.users["shuji"].branch
    assert get(client, demo.users[username], f"/boards/branch/{branch.pk}/?quarter=2019Q1").status_code == 404


def test_a_quarter_still_being_prepared_has_no_preview(client, dept_user):
    from tests.factories import QuarterFactory

    QuarterFactory(code="2033Q1")
    assert get(client, dept_user, "/boards/2033Q1/").status_code == 404


def test_an_unknown_quarter_is_404(client, dept_user):
    assert get(client, dept_user, "/boards/1999Q1/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    for url in ["/boards/", "/boards/2019Q1/", "/boards/rules/", "/boards/history/", "/boards/branch/1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", EVERYONE)
def test_everyone_logged_in_sees_a_published_board(client, demo, username):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    content = get(client, demo.users[username], "/boards/2019Q1/").content.decode()
    for name in [
        "白银变电运检中心党支部",
        "电力调度中心党总支部",
        "财务部党支部",
        "平川区供电公司党总支",
        "鸿运物业分公司党支部",
        "营销部党支部",
    ]:
        assert name in content
    assert "预览" not in content


@pytest.mark.parametrize("username", OUTSIDERS)
def test_the_quarter_list_shows_others_only_published_quarters(client, demo, username):
    content = get(client, demo.users[username], "/boards/").content.decode()
    # The demo's earlier quarters (2018Q3, 2018Q4) are published; 2019Q1 is not yet.
    assert "2019年第1季度" not in content and "2018年第4季度" in content
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    content = get(client, demo.users[username], "/boards/").content.decode()
    assert "2019年第1季度" in content and "预览" not in content


def test_the_quarter_list_offers_the_dept_a_preview_link(client, demo):
    content = get(client, demo.users["dangjian"], "/boards/").content.decode()
    assert "/boards/2019Q1/preview/" in content and "预览与发布" in content


# --- writes ----------------------------------------------------------------------------------------


def test_the_leadership_may_not_publish(client, demo):
    client.force_login(demo.users["lingdao"])
    assert client.post("/boards/2019Q1/publish/", {"confirm": "1"}).status_code == 403
    demo.quarter.refresh_from_db()
    assert demo.quarter.status == Quarter.Status.SCORING


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_may_not_publish_or_exclude(client, demo, username):
    client.force_login(demo.users[username])
    assert client.post("/boards/2019Q1/publish/", {"confirm": "1"}).status_code == 404
    assert client.post("/boards/2019Q1/exclusions/", {"branch": "1", "reason": "原因原因"}).status_code == 404
    assert not BoardEntry.objects.filter(quarter=demo.quarter).exists() and not Exclusion.objects.exists()


def test_publish_is_a_post(client, demo):
    client.force_login(demo.users["dangjian"])
    assert client.get("/boards/2019Q1/publish/").status_code == 405


def test_the_dept_publishes_with_the_button(client, demo):
    client.force_login(demo.users["dangjian"])
    response = client.post("/boards/2019Q1/publish/", {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/boards/2019Q1/"
    assert "2019年第1季度红蓝榜已发布，评分已冻结。" in response.content.decode()
    assert BoardEntry.objects.filter(quarter=demo.quarter).count() == 32
    again = client.post("/boards/2019Q1/publish/", {"confirm": "1"}, follow=True)
    assert "已经发布，不能重复发布" in again.content.decode()
    assert BoardEntry.objects.filter(quarter=demo.quarter).count() == 32


def test_publishing_needs_the_confirmation_box(client, demo):
    client.force_login(demo.users["dangjian"])
    response = client.post("/boards/2019Q1/publish/", {}, follow=True)
    assert "请先勾选确认" in response.content.decode()
    assert not BoardEntry.objects.filter(quarter=demo.quarter).exists()


def test_the_preview_lists_unscored_branches_and_refuses_to_publish(client, demo):
    from scoring.models import Score

    Score.objects.filter(sheet__quarter=demo.quarter, sheet__branch__name="城区分公司党支部").first().delete()
    client.force_login(demo.users["dangjian"])
    content = client.get("/boards/2019Q1/preview/").content.decode()
    assert "城区分公司党支部" in content.split('id="unscored-list"')[1].split("</ul>")[0]
    response = client.post("/boards/2019Q1/publish/", {"confirm": "1"}, follow=True)
    assert "还有 1 个党组织未完成评分：城区分公司党支部" in response.content.decode()
    assert not BoardEntry.objects.filter(quarter=demo.quarter).exists()


def test_the_dept_excludes_an_unscored_branch_with_a_reason_shown_on_the_board(client, demo):
    from branches.models import Branch
    from scoring.models import Score

    branch = Branch.objects.get(name="城区分公司党支部")
    Score.objects.filter(sheet__branch=branch).first().delete()
    client.force_login(demo.users["dangjian"])
    bad = client.post("/boards/2019Q1/exclusions/", {"branch": branch.pk, "reason": ""})
    assert bad.status_code == 400 and not Exclusion.objects.exists()
    assert re.search(r'id="error_1_id_reason"[^>]*>\s*<strong>请写明不参加排名的原因。</strong>', bad.content.decode())
    short = client.post("/boards/2019Q1/exclusions/", {"branch": branch.pk, "reason": "调整"})
    assert short.status_code == 400 and "请写明不参加排名的原因（至少 4 个字）" in short.content.decode()
    scored = Branch.objects.get(name="财务部党支部")
    wrong = client.post("/boards/2019Q1/exclusions/", {"branch": scored.pk, "reason": "想排除一个已评分的"})
    assert wrong.status_code == 400 and "请选择列表中的未完成评分党组织" in wrong.content.decode()
    assert not Exclusion.objects.exists()
    client.post("/boards/2019Q1/exclusions/", {"branch": branch.pk, "reason": "班子调整，本季度未完成检查"})
    client.post("/boards/2019Q1/exclusions/", {"branch": branch.pk, "reason": "班子调整，本季度未完成检查"})
    assert Exclusion.objects.count() == 1  # a double submit changes nothing twice
    client.post("/boards/2019Q1/publish/", {"confirm": "1"})
    content = client.get("/boards/2019Q1/").content.decode()
    assert "城区分公司党支部：不参加本季度排名（班子调整，本季度未完成检查）" in content


def test_an_exclusion_can_be_taken_back_before_publication_only(client, demo):
    from branches.models import Branch
    from scoring.models import Score

    branch = Branch.objects.get(name="城区分公司党支部")
    Score.objects.filter(sheet__branch=branch).first().delete()
    client.force_login(demo.users["dangjian"])
    client.post("/boards/2019Q1/exclusions/", {"branch": branch.pk, "reason": "班子调整中"})
    exclusion = Exclusion.objects.get()
    client.force_login(demo.users["lingdao"])
    assert client.post(f"/boards/2019Q1/exclusions/{exclusion.pk}/delete/").status_code == 403
    client.force_login(demo.users["dangjian"])
    client.post(f"/boards/2019Q1/exclusions/{exclusion.pk}/delete/")
    assert not Exclusion.objects.exists()


# --- the adjustment table --------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["lingdao", "jiancha1", "shuji", "admin"])
def test_only_the_dept_edits_the_adjustment_table(client, demo, username):
    client.force_login(demo.users[username])
    assert client.get("/boards/adjustments/").status_code == 403
    assert client.post("/boards/adjustments/save/", table(c1_red="5")).status_code == 403


def table(**changes):
    values = {"c1_red": "1.5", "c1_blue": "-1.5", "c2_red": "1.5", "c2_blue": "-1.5", "c3_red": "0", "c3_blue": "-0.5"}
    return {**values, **changes}


def test_the_dept_changes_the_adjustment_table(client, demo):
    from boards.selectors import adjustment_table

    client.force_login(demo.users["dangjian"])
    response = client.post("/boards/adjustments/save/", table(c3_red="0.5"), follow=True)
    assert "加扣分标准已保存（修改 1 项）" in response.content.decode()
    assert str(adjustment_table()[("3", "red")]) == "0.50"
    assert "+0.50" in client.get("/boards/rules/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("c1_red", "-1", "不能低于 0 分"),
        ("c1_blue", "2", "不能超过 0 分"),
        ("c2_red", "abc", "请输入数字"),
        ("c2_red", "1.555", "最多保留两位小数"),
        ("c3_blue", "", "请填写加扣分"),
        ("c3_blue", "-11", "不能低于 -10 分"),
    ],
)
def test_a_bad_adjustment_is_explained_in_chinese_and_changes_nothing(client, demo, field, value, message):
    from boards.selectors import adjustment_table

    before = adjustment_table()
    client.force_login(demo.users["dangjian"])
    response = client.post(
        "/boards/adjustments/save/", table(**{field: value, "c1_red": "2" if field != "c1_red" else value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert adjustment_table() == before


# --- a branch's own page ---------------------------------------------------------------------------


def test_a_secretary_sees_the_own_branch_with_its_problems(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    shuji = demo.users["shuji"]
    content = get(client, shuji, f"/boards/branch/{shuji.branch_id}/").content.decode()
    assert "平川区供电公司党总支" in content and "84.30" in content and "蓝榜" in content
    assert "下设支部补选委员流程不规范" in content
    assert "本类平均" in content


def test_others_see_a_branchs_published_scores_but_not_its_problem_list(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    branch = demo.users["shuji"].branch
    content = get(client, demo.users["jiancha1"], f"/boards/branch/{branch.pk}/").content.decode()
    assert "84.30" in content
    assert "下设支部补选委员流程不规范" not in content and "问题清单仅本组织、党建部和党委领导可见" in content
    content = get(client, demo.users["lingdao"], f"/boards/branch/{branch.pk}/").content.decode()
    assert "下设支部补选委员流程不规范" in content


def test_an_unknown_branch_is_404(client, demo):
    assert get(client, demo.users["shuji"], "/boards/branch/999999/").status_code == 404

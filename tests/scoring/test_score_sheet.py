"""Score entry: drafts, validation in Chinese, problems, submission, double submits and history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.models import Method, Problem, Score, ScoreChange, ScoreSheet
from tests.scoring.helpers import full_values, sheet_post

pytestmark = pytest.mark.django_db


def url(sheet, action=""):
    return f"/scoring/sheets/{sheet.pk}/{action}"


def test_the_sheet_shows_every_indicator_standardizations_first_with_max_and_guidance(client, world):
    client.force_login(world.alice)
    html = client.get(url(world.sheet)).content.decode()
    codes = [i.code for i in world.indicators]
    assert codes[:5] == ["S1", "S2", "S3", "S4", "S5"] and codes[5:] == ["A1", "A2", "A3", "A4", "A5"]
    positions = [html.index(f"{i.code} {i.name}") for i in world.indicators]
    assert positions == sorted(positions)
    assert "五个标准化" in html and "Ⅰ类特色指标" in html
    assert world.indicators[0].guidance in html
    assert "查阅资料" in html and "系统调阅" in html and "听取介绍" in html
    assert "保存草稿" in html and "提交评分表" in html
    assert 'src="/static/js/scoresheet.js"' in html


def test_a_draft_is_saved_with_methods_and_notes_and_recorded_in_the_history(client, world):
    client.force_login(world.alice)
    s1, a1 = world.indicators[0], world.indicators[5]
    response = client.post(
        url(world.sheet, "save/"),
        sheet_post(
            world.sheet,
            world.indicators,
            values={"S1": "10.5", "A1": "8"},
            methods={"S1": [Method.RECORDS, Method.ACCOUNT]},
            notes={"S1": "换届资料齐全"},
        ),
    )
    assert response.status_code == 302
    scores = {s.indicator_id: s for s in Score.objects.filter(sheet=world.sheet)}
    assert scores[s1.pk].value == Decimal("10.5")
    assert scores[s1.pk].methods == "records,account"
    assert scores[s1.pk].note == "换届资料齐全"
    assert scores[a1.pk].value == Decimal("8.0")
    world.sheet.refresh_from_db()
    assert world.sheet.version == 2 and world.sheet.status == ScoreSheet.Status.DRAFT
    changes = {(c.indicator_id, c.field): (c.old, c.new, c.user_id, c.version) for c in ScoreChange.objects.all()}
    assert changes == {
        (s1.pk, "score"): ("", "10.5", world.alice.pk, 2),
        (s1.pk, "methods"): ("", "records,account", world.alice.pk, 2),
        (s1.pk, "note"): ("", "换届资料齐全", world.alice.pk, 2),
        (a1.pk, "score"): ("", "8.0", world.alice.pk, 2),
    }


def test_a_change_records_old_and_new_and_an_unchanged_save_records_nothing(client, world):
    client.force_login(world.alice)
    client.post(url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": "10"}))
    world.sheet.refresh_from_db()
    client.post(url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": "9.5"}))
    world.sheet.refresh_from_db()
    change = ScoreChange.objects.filter(field="score").order_by("-id").first()
    assert (change.old, change.new) == ("10.0", "9.5")
    before = (ScoreChange.objects.count(), world.sheet.version)
    response = client.post(url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": "9.5"}))
    world.sheet.refresh_from_db()
    assert (ScoreChange.objects.count(), world.sheet.version) == before
    assert "没有需要保存的修改" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.1", "得分不能超过本项满分 12 分。"),
        ("100", "得分不能超过本项满分 12 分。"),
        ("-1", "得分不能小于 0。"),
        ("8.25", "得分最多保留一位小数。"),
        ("八分", "请输入数字，例如 8 或 8.5。"),
        ("1e1", "请输入数字，例如 8 或 8.5。"),
        ("1,5", "请输入数字，例如 8 或 8.5。"),
        ("NaN", "请输入数字，例如 8 或 8.5。"),
        ("Infinity", "请输入数字，例如 8 或 8.5。"),
    ],
)
def test_a_bad_score_is_refused_with_a_chinese_message_next_to_the_field(client, world, typed, message):
    client.force_login(world.alice)
    response = client.post(
        url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": typed, "S2": "10"})
    )
    assert response.status_code == 400
    html = response.content.decode()
    s1 = world.indicators[0]
    field_at = html.index(f'name="score_{s1.pk}"')
    assert html.index(message, field_at) < html.index(f'name="methods_{s1.pk}"', field_at)  # right under the box
    assert "is-invalid" in html[field_at - 300 : field_at + 400]
    assert not Score.objects.exists()  # S2 was fine, but nothing is saved
    assert not ScoreChange.objects.exists()


def test_the_boundaries_are_accepted(client, world):
    client.force_login(world.alice)
    client.post(
        url(world.sheet, "save/"),
        sheet_post(world.sheet, world.indicators, values={"S1": "0", "S2": "12", "S3": "11.9", "S4": " 7。5 "}),
    )
    values = {s.indicator.code: s.value for s in Score.objects.select_related("indicator")}
    assert values == {"S1": Decimal("0"), "S2": Decimal("12"), "S3": Decimal("11.9"), "S4": Decimal("7.5")}


def test_problems_are_added_and_removed_with_the_save_and_kept_in_the_history(client, world):
    client.force_login(world.alice)
    s2, a2 = world.indicators[1], world.indicators[6]
    data = sheet_post(world.sheet, world.indicators)
    data.update(
        {
            "problem-TOTAL_FORMS": "3",
            "problem-0-indicator": str(s2.pk),
            "problem-0-description": "“三会一课”落实不到位",
            "problem-1-indicator": str(a2.pk),
            "problem-1-description": "党建与安全生产融合的载体不足",
            "problem-2-indicator": "",
            "problem-2-description": "",  # the blank row is ignored
        }
    )
    assert client.post(url(world.sheet, "save/"), data).status_code == 302
    problems = {p.description: p for p in Problem.objects.all()}
    assert set(problems) == {"“三会一课”落实不到位", "党建与安全生产融合的载体不足"}
    assert problems["“三会一课”落实不到位"].indicator == s2
    assert problems["“三会一课”落实不到位"].created_by == world.alice
    world.sheet.refresh_from_db()
    data = sheet_post(world.sheet, world.indicators, remove_problems=[str(problems["党建与安全生产融合的载体不足"].pk)])
    client.post(url(world.sheet, "save/"), data)
    assert list(Problem.objects.values_list("description", flat=True)) == ["“三会一课”落实不到位"]
    history = list(ScoreChange.objects.filter(field="problem").order_by("id").values_list("old", "new"))
    assert history == [
        ("", "“三会一课”落实不到位"),
        ("", "党建与安全生产融合的载体不足"),
        ("党建与安全生产融合的载体不足", ""),
    ]


def test_a_problem_without_its_indicator_is_refused_in_chinese(client, world):
    client.force_login(world.alice)
    data = sheet_post(world.sheet, world.indicators)
    data.update({"problem-TOTAL_FORMS": "1", "problem-0-indicator": "", "problem-0-description": "记录不全"})
    response = client.post(url(world.sheet, "save/"), data)
    assert response.status_code == 400
    assert "请选择问题对应的指标。" in response.content.decode()
    assert not Problem.objects.exists()


def test_an_incomplete_sheet_cannot_be_submitted_and_nothing_is_saved(client, world):
    client.force_login(world.alice)
    values = full_values(world.indicators)
    del values["A5"]
    response = client.post(
        url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values=values, action="submit")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "还有 1 项指标未评分（党建品牌传播），不能提交" in html
    assert "提交前请为本项评分。" in html
    world.sheet.refresh_from_db()
    assert world.sheet.status == ScoreSheet.Status.DRAFT and world.sheet.version == 1
    assert not Score.objects.exists()


def test_a_complete_sheet_is_submitted_and_becomes_read_only_to_the_group(client, world):
    client.force_login(world.alice)
    response = client.post(
        url(world.sheet, "save/"),
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"),
    )
    assert response.status_code == 302 and response["Location"] == f"/scoring/groups/{world.group_a.pk}/"
    world.sheet.refresh_from_db()
    assert world.sheet.status == ScoreSheet.Status.SUBMITTED
    assert world.sheet.submitted_by == world.alice and world.sheet.submitted_at is not None
    assert ScoreChange.objects.filter(field="submit").count() == 1
    html = client.get(url(world.sheet)).content.decode()
    assert "评分表已提交，处于只读状态" in html
    assert "保存草稿" not in html and 'name="action"' not in html
    # A later save from a stale tab changes nothing.
    response = client.post(url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": "1"}))
    assert "如需修改，请联系党建部退回" in client.get(response["Location"]).content.decode()
    assert Score.objects.get(sheet=world.sheet, indicator=world.indicators[0]).value != Decimal("1")


def test_a_double_submit_changes_nothing_twice(client, world):
    client.force_login(world.alice)
    data = sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit")
    first = client.post(url(world.sheet, "save/"), data)
    world.sheet.refresh_from_db()
    state = (world.sheet.version, world.sheet.submitted_at, ScoreChange.objects.count(), Score.objects.count())
    second = client.post(url(world.sheet, "save/"), data)  # the same form, posted again
    assert first.status_code == second.status_code == 302
    world.sheet.refresh_from_db()
    assert (world.sheet.version, world.sheet.submitted_at, ScoreChange.objects.count(), Score.objects.count()) == state
    assert "该评分表已经提交，无需重复提交。" in client.get(second["Location"]).content.decode()


def test_the_dept_returns_a_submitted_sheet_with_a_reason_and_the_group_may_edit_again(client, world, dept_user):
    client.force_login(world.alice)
    client.post(
        url(world.sheet, "save/"),
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"),
    )
    client.force_login(dept_user)
    assert client.post(url(world.sheet, "return/"), {"reason": ""}).status_code == 302
    world.sheet.refresh_from_db()
    assert world.sheet.is_submitted  # no reason, no return
    client.post(url(world.sheet, "return/"), {"reason": "A1 评分依据不足，请补充"})
    world.sheet.refresh_from_db()
    assert world.sheet.status == ScoreSheet.Status.DRAFT
    assert world.sheet.return_reason == "A1 评分依据不足，请补充"
    change = ScoreChange.objects.get(field="return")
    assert (change.user, change.new) == (dept_user, "A1 评分依据不足，请补充")
    notice = world.alice.notices.get()  # the group hears of it
    assert notice.message == "党建部退回了“丙党支部”的评分表：A1 评分依据不足，请补充"
    assert notice.url == f"/scoring/sheets/{world.sheet.pk}/"
    client.force_login(world.alice)
    html = client.get(url(world.sheet)).content.decode()
    assert "党建部已退回" in html and "A1 评分依据不足，请补充" in html and "保存草稿" in html
    response = client.post(
        url(world.sheet, "save/"),
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators, "0.8"), action="submit"),
    )
    assert response.status_code == 302
    world.sheet.refresh_from_db()
    assert world.sheet.is_submitted and world.sheet.return_reason == ""


def test_returning_a_draft_is_refused(client, world, dept_user):
    client.force_login(dept_user)
    response = client.post(url(world.sheet, "return/"), {"reason": "x"}, follow=True)
    assert "尚未提交，无需退回" in response.content.decode()
    assert not ScoreChange.objects.exists()


def test_the_dept_sees_the_history_on_the_sheet(client, world, dept_user):
    client.force_login(world.alice)
    client.post(url(world.sheet, "save/"), sheet_post(world.sheet, world.indicators, values={"S1": "10"}))
    world.sheet.refresh_from_db()
    client.post(
        url(world.sheet, "save/"),
        sheet_post(world.sheet, world.indicators, values={"S1": "11"}, methods={"S1": [Method.SYSTEMS]}),
    )
    client.force_login(dept_user)
    html = client.get(url(world.sheet)).content.decode()
    history = html[html.index("修改记录") :]
    assert "王磊" in history
    assert "<td>10.0</td><td>11.0</td>" in history
    assert "<td>检查方式</td><td></td><td>系统调阅</td>" in history
    assert "您可以查看该评分表，但只有其检查组成员可以评分。" in html

"""What a board counts: submitted sheets only. A draft, a returned sheet not submitted again and an
active branch without a sheet count for nothing; the preview lists them, each linked, and
publication (button and `board --publish`) is refused by name until they are submitted or the
branch is excluded with a written reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from boards.models import BoardEntry
from boards.selectors import board_compute, board_compute_detailed, board_inputs, uncounted_sheets
from boards.services import exclusion_create, exclusion_delete, quarter_publish
from scoring.models import Quarter, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import ScoreEntry, sheet_return, sheet_save
from tests import factories
from tests.boards.helpers import score_quarter
from tests.helpers import board_compute_queries, login

pytestmark = pytest.mark.django_db


def _fill(sheet: ScoreSheet, fraction: str) -> dict[int, ScoreEntry]:
    return {
        i.pk: ScoreEntry(value=(i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
        for i in scheme_for_category(sheet.quarter, sheet.branch.category)
    }


def _result(quarter: Quarter, name: str):
    return next(r for c in board_compute_detailed(quarter) for r in c.ranking + c.unscored if r.name == name)


@pytest.fixture
def two_group_board(scoring_quarter, inspector_user):
    """Category Ⅰ: 支部1-001 … 1-003 submitted by 党建部's import; 支部1-001 also scored by 第二组
    (submitted) — its score is the mean of both sheets."""
    branches = score_quarter(scoring_quarter, {"1": ["0.9", "0.8", "0.7"]})
    group = factories.InspectionGroupFactory(quarter=scoring_quarter, name="第二检查组")
    group.members.add(inspector_user)
    second = ScoreSheet.objects.create(quarter=scoring_quarter, branch=branches["支部1-001"], group=group)
    sheet_save(sheet=second, actor=inspector_user, base_version=0, entries=_fill(second, "0.9"), submit=True)
    return scoring_quarter, branches, second


def test_a_returned_sheet_edited_and_left_as_a_draft_counts_for_nothing(two_group_board, dept_user, inspector_user):
    quarter, _, second = two_group_board
    before = _result(quarter, "支部1-001")
    assert before.rank == 1 and before.indicator_total == Decimal("90.00")

    sheet_return(sheet=second, actor=dept_user, reason="第三项扣分依据不足")
    second.refresh_from_db()
    # The inspector lowers every score to 30 % and saves, without submitting again.
    sheet_save(sheet=second, actor=inspector_user, base_version=second.version, entries=_fill(second, "0.3"))

    # Were the draft counted, the mean (90 + 30) / 2 = 60 would drop 支部1-001 to the blue board.
    after = _result(quarter, "支部1-001")
    assert (after.rank, after.indicator_total, after.board) == (1, Decimal("90.00"), "red")
    assert [r.name for c in board_compute(quarter) for r in c.ranking] == ["支部1-001", "支部1-002", "支部1-003"]

    [uncounted] = uncounted_sheets(quarter)
    assert (uncounted.branch_name, uncounted.kind, uncounted.return_reason) == (
        "支部1-001",
        "returned",
        "第三项扣分依据不足",
    )
    assert uncounted.url == reverse("scoring:sheet", args=[second.pk])
    with pytest.raises(ValidationError) as error:
        quarter_publish(quarter=quarter, user=dept_user)
    assert "支部1-001（第二检查组，已退回，未重新提交：第三项扣分依据不足）" in error.value.messages[0]
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING and not BoardEntry.objects.exists()


def test_a_resubmitted_sheet_counts_again_and_the_quarter_publishes(two_group_board, dept_user, inspector_user):
    quarter, branches, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    second.refresh_from_db()
    sheet_save(sheet=second, actor=inspector_user, base_version=second.version, entries=_fill(second, "0.5"))
    second.refresh_from_db()
    sheet_save(sheet=second, actor=inspector_user, base_version=second.version, entries={}, submit=True)

    assert uncounted_sheets(quarter) == []
    assert _result(quarter, "支部1-001").indicator_total == Decimal("70.00")  # (90 + 50) / 2
    quarter_publish(quarter=quarter, user=dept_user)
    row = BoardEntry.objects.get(quarter=quarter, branch=branches["支部1-001"])
    assert (row.indicator_total, row.rank) == (Decimal("70.00"), 2)


def test_a_draft_never_submitted_leaves_its_branch_unscored_and_blocks_publication(scoring_quarter, dept_user):
    branches = score_quarter(scoring_quarter, {"1": ["0.9", "0.8"]})
    draft_branch = factories.BranchFactory(name="草稿支部", category="1")
    draft = ScoreSheet.objects.create(quarter=scoring_quarter, branch=draft_branch)
    factories.fill_sheet(draft, Decimal("0.99"))  # complete, but never submitted

    inputs = {i.name: i for i in board_inputs(scoring_quarter)}
    assert dict(inputs["草稿支部"].scores) == {}
    assert [r.name for c in board_compute(scoring_quarter) for r in c.unscored] == ["草稿支部"]
    assert [(u.branch_name, u.kind, u.scorer) for u in uncounted_sheets(scoring_quarter)] == [
        ("草稿支部", "draft", "党建部录入")
    ]
    with pytest.raises(ValidationError, match="草稿支部（党建部录入，草稿，未提交）"):
        quarter_publish(quarter=scoring_quarter, user=dept_user)
    assert set(branches) == {"支部1-001", "支部1-002"}


def test_an_active_branch_without_a_sheet_is_listed_as_missing_and_blocks_publication(scoring_quarter, dept_user):
    score_quarter(scoring_quarter, {"1": ["0.9", "0.8"]})
    factories.BranchFactory(name="未分配支部", category="2")
    [missing] = uncounted_sheets(scoring_quarter)
    assert (missing.branch_name, missing.kind, missing.sheet_id) == ("未分配支部", "missing", None)
    assert missing.url == reverse("scoring:quarter_groups", args=[scoring_quarter.code])
    with pytest.raises(ValidationError, match="未分配支部（未分配检查组，没有评分表）"):
        quarter_publish(quarter=scoring_quarter, user=dept_user)


def test_excluding_the_branch_with_a_reason_lets_the_quarter_publish_and_is_audited(two_group_board, dept_user):
    quarter, branches, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    # 支部1-001 is still fully scored by its other sheet: it may be excluded all the same.
    exclusion = exclusion_create(quarter=quarter, branch=branches["支部1-001"], reason="检查组复核中", user=dept_user)
    [uncounted] = uncounted_sheets(quarter)
    assert uncounted.excluded
    event = AuditEvent.objects.get(action="exclusion_create")
    assert (event.actor, event.detail) == (dept_user, {"党组织": "支部1-001", "原因": "检查组复核中"})

    exclusion_delete(exclusion=exclusion, user=dept_user)
    assert AuditEvent.objects.get(action="exclusion_delete").detail["党组织"] == "支部1-001"
    with pytest.raises(ValidationError, match="支部1-001"):
        quarter_publish(quarter=quarter, user=dept_user)

    exclusion_create(quarter=quarter, branch=branches["支部1-001"], reason="检查组复核中", user=dept_user)
    quarter_publish(quarter=quarter, user=dept_user)
    row = BoardEntry.objects.get(quarter=quarter, branch=branches["支部1-001"])
    assert (row.status, row.note) == ("excluded", "检查组复核中")


def test_a_branch_whose_work_is_all_submitted_cannot_be_excluded(two_group_board, dept_user):
    quarter, branches, _ = two_group_board
    with pytest.raises(ValidationError, match="评分已全部提交"):
        exclusion_create(quarter=quarter, branch=branches["支部1-002"], reason="原因写在这里", user=dept_user)


def test_the_board_command_refuses_to_publish_and_names_the_sheets(two_group_board, dept_user):
    quarter, _, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    with pytest.raises(CommandError, match="支部1-001（第二检查组，已退回，未重新提交：请复核）"):
        call_command("board", "--quarter", quarter.code, "--publish", "--user", dept_user.username)
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING


def test_the_preview_lists_each_uncounted_sheet_linked_and_disables_publication(
    two_group_board, dept_user, client, settings
):
    quarter, _, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="第三项扣分依据不足")
    draft = ScoreSheet.objects.create(quarter=quarter, branch=factories.BranchFactory(name="草稿支部", category="2"))
    factories.BranchFactory(name="未分配支部", category="3")
    login(client, dept_user)

    response = client.get(reverse("boards:preview", args=[quarter.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "有 3 张评分表未提交，不计入红蓝榜" in html
    assert f'href="{reverse("scoring:sheet", args=[second.pk])}"' in html
    assert "退回原因：第三项扣分依据不足" in html
    assert f'href="{reverse("scoring:sheet", args=[draft.pk])}"' in html
    assert "未分配支部" in html and f'href="{reverse("scoring:quarter_groups", args=[quarter.code])}"' in html
    assert "还有未提交的评分表，暂不能发布。" in html
    assert "草稿中已填的分数计入预览" not in html  # the old note said the opposite

    # The button, forced: refused by name, nothing published.
    response = client.post(reverse("boards:publish", args=[quarter.code]), {"confirm": "1"}, follow=True)
    assert "支部1-001（第二检查组，已退回，未重新提交：第三项扣分依据不足）" in response.content.decode()
    assert not BoardEntry.objects.exists()


def test_the_preview_page_costs_a_fixed_number_of_queries(
    two_group_board, dept_user, client, django_assert_num_queries
):
    quarter, _, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    for n in range(5):
        ScoreSheet.objects.create(quarter=quarter, branch=factories.BranchFactory(name=f"草稿{n}", category="2"))
    login(client, dept_user)
    # savepoint pair (2), session + user (2), quarter (1), the user's roles (1), board_compute: scheme,
    # one row per branch (sums, points and exclusion joined), adjustment table (board_compute_queries),
    # the exclusions listed (1), uncounted_sheets: exclusions, unsubmitted sheets, branches without a
    # sheet (3), the viewer's evaluating unit (1, issue 17).
    with django_assert_num_queries(6 + board_compute_queries() + 1 + 3 + 1):
        response = client.get(reverse("boards:preview", args=[quarter.code]))
    assert response.content.decode().count('class="uncounted-') == 6


def test_the_score_export_of_an_unpublished_quarter_leaves_drafts_out(two_group_board, dept_user, inspector_user):
    from reports.exports import scores_report

    quarter, _, second = two_group_board
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    second.refresh_from_db()
    sheet_save(sheet=second, actor=inspector_user, base_version=second.version, entries=_fill(second, "0.3"))
    spec = scores_report(quarter)
    rows = {row.values[1]: row.values for sheet in spec.sheets for row in sheet.rows}
    indicators = scheme_for_category(quarter, "1")
    # 支部1-001's indicator scores are those of its submitted sheet alone (90 %), not the draft's mean.
    assert rows["支部1-001"][2 : 2 + len(indicators)] == [
        (i.max_score * Decimal("0.9")).quantize(Decimal("0.1")).quantize(Decimal("0.01")) for i in indicators
    ]
    assert rows["支部1-001"][2 + len(indicators)] == Decimal("90.00")


def test_the_severity_report_counts_submitted_sheets_only(two_group_board, dept_user):
    from fairness.selectors import severity_data

    quarter, _, second = two_group_board
    assert second.pk in severity_data(quarter)[0].sheet_ids
    sheet_return(sheet=second, actor=dept_user, reason="请复核")
    assert second.pk not in severity_data(quarter)[0].sheet_ids

"""Publishing a quarter's board: checks, the published rows, freezing, follow-up work."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from boards import followups
from boards.models import AdjustmentRule, BoardEntry, BoardScore, Exclusion
from boards.selectors import published_board
from boards.services import exclusion_create, quarter_publish
from branches.models import Notice
from scoring.models import ContributionPoint, Quarter, Score
from scoring.selectors import scheme_for_category
from tests.boards.helpers import BROKEN, follow_ups_registered, score_quarter
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def test_publishing_stores_every_active_branch_and_moves_the_quarter(small_board, dept_user):
    quarter, branches = small_board
    published = quarter_publish(quarter=quarter, user=dept_user)
    assert published.status == Quarter.Status.PUBLISHED
    assert published.published_by == dept_user and published.published_at is not None
    assert published.closed_at == published.published_at  # publishing from 评分中 closes scoring
    rows = {e.branch.name: e for e in BoardEntry.objects.filter(quarter=quarter).select_related("branch")}
    assert set(rows) == set(branches)
    assert (rows["支部1-001"].rank, rows["支部1-001"].board, rows["支部1-001"].adjustment) == (1, "red", Decimal("1.5"))
    assert (rows["支部1-003"].rank, rows["支部1-003"].board, rows["支部1-003"].adjustment) == (
        3,
        "blue",
        Decimal("-1.5"),
    )
    assert [rows[n].board for n in ("支部2-002", "支部2-003")] == ["blue", "blue"]
    assert rows["支部3-001"].board == "" and rows["支部3-001"].rank == 1  # one branch: no board
    # The per-indicator scores are frozen with the rows, one per indicator of the branch's scheme.
    assert BoardScore.objects.filter(quarter=quarter, branch=rows["支部1-001"].branch).count() == len(
        scheme_for_category(quarter, "1")
    )
    assert rows["支部1-001"].branch_name == "支部1-001"


def test_a_closed_quarter_can_be_published_and_keeps_its_closing_time(small_board, dept_user):
    quarter, _ = small_board
    Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.CLOSED)
    quarter.refresh_from_db()
    published = quarter_publish(quarter=quarter, user=dept_user)
    assert published.status == Quarter.Status.PUBLISHED


def test_publishing_is_refused_while_a_branch_is_unscored(scoring_quarter, dept_user):
    score_quarter(scoring_quarter, {"1": ["0.9", None, "0.7"]})
    with pytest.raises(ValidationError) as error:
        quarter_publish(quarter=scoring_quarter, user=dept_user)
    assert "还有 1 个党组织未完成评分：支部1-002" in error.value.messages[0]
    scoring_quarter.refresh_from_db()
    assert scoring_quarter.status == Quarter.Status.SCORING
    assert not BoardEntry.objects.exists()


def test_an_excluded_branch_lets_the_quarter_publish_and_keeps_its_reason(scoring_quarter, dept_user):
    branches = score_quarter(scoring_quarter, {"1": ["0.9", None, "0.7"]})
    exclusion_create(
        quarter=scoring_quarter, branch=branches["支部1-002"], reason="机构调整，本季度不参评", user=dept_user
    )
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    row = BoardEntry.objects.get(branch=branches["支部1-002"])
    assert (row.status, row.rank, row.board, row.note) == ("excluded", None, "", "机构调整，本季度不参评")
    assert [r.name for r in published_board(scoring_quarter)[0].excluded] == ["支部1-002"]


def test_only_unscored_branches_can_be_excluded_and_only_with_a_reason(scoring_quarter, dept_user):
    branches = score_quarter(scoring_quarter, {"1": ["0.9", None]})
    with pytest.raises(ValidationError, match="只能排除未完成评分"):
        exclusion_create(quarter=scoring_quarter, branch=branches["支部1-001"], reason="原因写在这里", user=dept_user)
    with pytest.raises(ValidationError, match="请写明不参加排名的原因"):
        exclusion_create(quarter=scoring_quarter, branch=branches["支部1-002"], reason="  ", user=dept_user)
    exclusion_create(quarter=scoring_quarter, branch=branches["支部1-002"], reason="机构调整中", user=dept_user)
    with pytest.raises(ValidationError, match="已经不参加本季度排名"):
        exclusion_create(quarter=scoring_quarter, branch=branches["支部1-002"], reason="机构调整中", user=dept_user)
    assert Exclusion.objects.count() == 1


def test_publishing_twice_is_refused_and_changes_nothing(small_board, dept_user):
    quarter, _ = small_board
    first = quarter_publish(quarter=quarter, user=dept_user)
    with pytest.raises(ValidationError, match="已经发布，不能重复发布"):
        quarter_publish(quarter=first, user=dept_user)
    with pytest.raises(ValidationError, match="已经发布"):
        quarter_publish(quarter=quarter, user=dept_user)  # a stale object is caught by the locked row
    assert BoardEntry.objects.count() == 7
    quarter.refresh_from_db()
    assert quarter.published_at == first.published_at


def test_a_quarter_still_being_prepared_cannot_be_published(dept_user):
    from tests.factories import QuarterFactory

    quarter = QuarterFactory(code="2032Q1")
    with pytest.raises(ValidationError, match="准备"):
        quarter_publish(quarter=quarter, user=dept_user)


@pytest.mark.parametrize("role_fixture", ["leader_user", "inspector_user", "secretary_user", "admin_user"])
def test_only_the_dept_may_publish(small_board, role_fixture, request):
    quarter, _ = small_board
    with pytest.raises(PermissionDenied):
        quarter_publish(quarter=quarter, user=request.getfixturevalue(role_fixture))
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING


def test_a_published_board_does_not_change_when_scores_points_or_the_table_change(small_board, dept_user, client):
    quarter, branches = small_board
    quarter_publish(quarter=quarter, user=dept_user)
    before = [
        (r.name, r.total, r.rank, r.board, r.adjustment, dict(r.scores))
        for c in published_board(quarter)
        for r in c.ranking
    ]
    page_before = client_board(client, dept_user, quarter)

    # Edits behind the services' back (an admin, a bad script): the board must not move.
    Score.objects.filter(sheet__branch=branches["支部1-003"]).update(value=Decimal("0.0"))
    ContributionPoint.objects.create(quarter=quarter, branch=branches["支部1-002"], points=Decimal("50"), reason="x")
    AdjustmentRule.objects.update(points=Decimal("9"))

    after = [
        (r.name, r.total, r.rank, r.board, r.adjustment, dict(r.scores))
        for c in published_board(quarter)
        for r in c.ranking
    ]
    assert after == before
    assert client_board(client, dept_user, quarter) == page_before


def client_board(client, user, quarter):
    import re

    client.force_login(user)
    html = client.get(f"/boards/{quarter.code}/").content.decode()
    return re.findall(r'data-branch="([^"]+)" data-rank="(\d+)" data-total="([^"]+)"', html)


def test_the_scoring_service_refuses_a_score_written_after_publication(small_board, dept_user, inspector_user):
    from scoring.models import ScoreSheet
    from scoring.services import ScoreEntry, SheetLocked, contribution_add, sheet_save

    quarter, branches = small_board
    sheet = ScoreSheet.objects.get(quarter=quarter, branch=branches["支部1-001"])
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheet.Status.DRAFT)  # a draft: writable while scoring
    # A draft holds publication up (tests/boards/test_what_counts.py) unless its branch is excluded.
    exclusion_create(quarter=quarter, branch=branches["支部1-001"], reason="评分表未提交，本季度不参评", user=dept_user)
    quarter_publish(quarter=quarter, user=dept_user)
    score = sheet.scores.first()
    with pytest.raises(SheetLocked, match="只有“评分中”才能录入评分"):
        sheet_save(
            sheet=sheet,
            actor=inspector_user,
            base_version=sheet.version,
            entries={score.indicator_id: ScoreEntry(Decimal("0"))},
        )
    with pytest.raises(ValidationError, match="已发布"):
        contribution_add(
            quarter=quarter, branch=branches["支部1-001"], points=Decimal("1"), reason="迟到的加分", actor=dept_user
        )
    score.refresh_from_db()
    assert score.value != Decimal("0")
    # And published is final: the quarter cannot be reopened for scoring.
    quarter.refresh_from_db()
    assert not quarter.can_transition_to(Quarter.Status.SCORING)


def test_a_score_posted_through_the_sheet_form_after_publication_is_refused(demo, client):
    from scoring.models import ScoreSheet

    quarter = demo.quarter
    sheet = ScoreSheet.objects.filter(quarter=quarter, group__name="第一检查组").select_related("branch").first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheet.Status.DRAFT)
    from scoring.access import sheet_for_writer

    assert sheet_for_writer(demo.users["jiancha1"], sheet.pk)  # the inspector may write it while scoring
    exclusion_create(
        quarter=quarter, branch=sheet.branch, reason="评分表未提交，本季度不参评", user=demo.users["dangjian"]
    )
    quarter_publish(quarter=quarter, user=demo.users["dangjian"])
    score = sheet.scores.select_related("indicator").first()
    before = score.value
    client.force_login(demo.users["jiancha1"])
    response = client.post(
        f"/scoring/sheets/{sheet.pk}/save/",
        {
            "version": sheet.version,
            f"score_{score.indicator_id}": "0",
            "action": "save",
            "problem-TOTAL_FORMS": "0",
            "problem-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    score.refresh_from_db()
    assert score.value == before
    assert BoardEntry.objects.get(quarter=quarter, branch=sheet.branch).status == BoardEntry.Status.EXCLUDED


def test_exclusions_cannot_change_after_publication(scoring_quarter, dept_user):
    branches = score_quarter(scoring_quarter, {"1": ["0.9", "0.8"]})
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    with pytest.raises(ValidationError, match="已经发布"):
        exclusion_create(quarter=scoring_quarter, branch=branches["支部1-001"], reason="发布后再排除", user=dept_user)


# --- follow-up work ------------------------------------------------------------------------------


def test_follow_ups_are_queued_only_when_the_transaction_commits(
    small_board, dept_user, django_capture_on_commit_callbacks
):
    quarter, _ = small_board
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        quarter_publish(quarter=quarter, user=dept_user)
    assert len(callbacks) == 1
    assert not Notice.objects.exists()  # nothing ran before the commit


def test_publication_notifies_the_secretary_of_every_ranked_branch(
    small_board, dept_user, django_capture_on_commit_callbacks
):
    quarter, branches = small_board
    secretaries = {}
    for name in ("支部1-001", "支部1-003", "支部3-001"):
        user = make_user("支部书记", username=f"sec-{name}", email=f"{name}@example.com")
        branches[name].secretary = user
        branches[name].save()
        secretaries[name] = user
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    # The blue-board secretary also hears from the interviews follow-up; here only the board's notices.
    board_notices = Notice.objects.filter(url__startswith="/boards/").select_related("user")
    notices = {n.user.username: n for n in board_notices}
    assert set(notices) == {f"sec-{n}" for n in secretaries}
    assert board_notices.count() == len(secretaries)
    assert (
        "排名第 1" in notices["sec-支部1-001"].message
        and "列入红榜，月度绩效加1.5分" in notices["sec-支部1-001"].message
    )
    assert "列入蓝榜，月度绩效扣1.5分" in notices["sec-支部1-003"].message
    assert notices["sec-支部1-003"].url == f"/boards/branch/{branches['支部1-003'].pk}/?quarter={quarter.code}"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in secretaries.values())


def test_the_notices_are_sent_once_even_if_the_follow_up_runs_again(
    small_board, dept_user, django_capture_on_commit_callbacks
):
    from boards.services import secretaries_notify

    quarter, branches = small_board
    user = make_user("支部书记", username="sec")
    branches["支部1-002"].secretary = user
    branches["支部1-002"].save()
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert secretaries_notify(quarter=quarter) == 0
    assert Notice.objects.filter(user=user).count() == 1


def test_publication_creates_the_blue_board_interviews(demo, django_capture_on_commit_callbacks):
    from interviews.models import Interview

    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    assert sorted(Interview.objects.filter(quarter=demo.quarter).values_list("branch__name", flat=True)) == sorted(
        ["平川区供电公司党总支", "鸿运物业分公司党支部", "营销部党支部"]
    )


def test_a_follow_up_that_fails_is_recorded_and_does_not_stop_the_others(
    small_board, dept_user, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from boards.models import FollowUp

    quarter, branches = small_board
    real = [job.name for job in followups.registered()]
    user = make_user("支部书记", username="sec")
    branches["支部1-001"].secretary = user
    branches["支部1-001"].save()
    follow_ups_registered(monkeypatch, BROKEN, *followups.registered())
    with caplog.at_level(logging.ERROR, logger="boards.followups"), django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=quarter, user=dept_user)
    assert "Follow-up" in caplog.text and "RuntimeError: boom" in caplog.text
    jobs = {j.name: j for j in FollowUp.objects.filter(quarter=quarter)}
    assert jobs[BROKEN.name].status == FollowUp.Status.FAILED
    assert jobs[BROKEN.name].error == "RuntimeError: boom"
    assert {jobs[name].status for name in real} == {FollowUp.Status.DONE}
    assert Notice.objects.filter(user=user).count() == 1
    quarter.refresh_from_db()
    assert quarter.is_published


def test_a_job_no_app_registers_any_more_is_recorded_as_failed_with_its_name(small_board, dept_user):
    """A row written for a job whose app no longer registers it (removed, renamed) fails with its
    name, and the other jobs of the quarter run."""
    from boards.models import FollowUp

    quarter, _ = small_board
    quarter_publish(quarter=quarter, user=dept_user)  # no commit in this test: nothing ran yet
    gone = FollowUp.objects.create(quarter=quarter, name="reports_not_there_yet.services.build")
    ran = followups.follow_ups_run_pending(quarter=quarter)
    status = {job.name: job.status for job in ran}
    assert status.pop(gone.name) == FollowUp.Status.FAILED
    assert set(status.values()) == {FollowUp.Status.DONE}
    gone.refresh_from_db()
    assert "reports_not_there_yet" in gone.error


def test_a_missing_adjustment_row_falls_back_to_the_reports_default(small_board, dept_user):
    quarter, branches = small_board
    AdjustmentRule.objects.filter(category="1", board="red").delete()
    quarter_publish(quarter=quarter, user=dept_user)
    assert BoardEntry.objects.get(branch=branches["支部1-001"]).adjustment == Decimal("1.5")

"""The severity report on the demo: 第二检查组 is a little stricter, and the report says so."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from boards.followups import registered
from boards.services import quarter_publish
from fairness.models import SeverityReportRecord
from fairness.report import OVERALL
from fairness.selectors import severity_compute
from scoring.models import ScoreSheet
from tests.fairness.helpers import severity_computed

pytestmark = pytest.mark.django_db

QUERIES = 12


def test_the_demo_report_flags_the_stricter_group_only(demo):
    report = severity_compute(demo.quarter)
    assert [g for g, _, _ in report.group_flags()] == ["第二检查组"]
    overall = report.figure("第二检查组", OVERALL)
    assert overall.flagged and overall.difference < 0
    assert overall.n == 11 and overall.others_n == 21
    assert report.indicators == ["S1", "S2", "S3", "S4", "S5"]


def test_the_preview_links_to_the_report_and_the_page_says_so_in_plain_chinese(client, demo):
    client.force_login(demo.users["dangjian"])
    severity_computed(demo.quarter, demo.users["dangjian"])
    preview = client.get(reverse("boards:preview", args=["2019Q1"])).content.decode()
    assert reverse("fairness:severity", args=["2019Q1"]) in preview
    page = client.get(reverse("fairness:severity", args=["2019Q1"])).content.decode()
    assert "第二检查组" in page and "评分明显偏严" in page
    assert "置换检验" in page and "随机种子" in page and "不修改任何分数" in page


def test_the_report_page_takes_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    severity_computed(demo.quarter, demo.users["dangjian"])
    client.force_login(demo.users["dangjian"])
    # savepoint (ATOMIC_REQUESTS); session; user; the viewer's evaluating unit (issue 17: its own
    # quarter of that code); quarter (access); roles (context processor);
    # indicator names; the latest run; the latest finished run (its stored report); the calibration
    # choices (at most CALIBRATION_CHOICES_SHOWN + 1 rows); the calibration branches (none here, so
    # no query for their groups' sheets); release. No query reads the scores.
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("fairness:severity", args=["2019Q1"])).status_code == 200


def test_the_report_is_kept_with_the_published_quarter(client, demo, django_capture_on_commit_callbacks):
    assert "boards.fairness_services.severity_report_store" in [job.name for job in registered()]
    with django_capture_on_commit_callbacks(execute=True):
        quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    record = SeverityReportRecord.objects.get(quarter=demo.quarter)
    assert record.data["figures"]
    # Scores changed after publication (by hand, in the database) do not change the kept report.
    ScoreSheet.objects.filter(quarter=demo.quarter).update(status="draft")
    client.force_login(demo.users["lingdao"])
    page = client.get(reverse("fairness:severity", args=["2019Q1"])).content.decode()
    assert "随已发布的季度保存" in page and "评分明显偏严" in page
    assert "设为校准党组织" not in page  # nothing to set once published


def test_the_calibration_demo_keeps_the_board_and_measures_the_stricter_group(demo):
    from boards.selectors import board_compute

    before = {r.name: r.total for c in board_compute(demo.quarter) for r in c.ranking}
    call_command("seed_calibration_demo", verbosity=0)
    call_command("seed_calibration_demo", verbosity=0)  # idempotent
    assert ScoreSheet.objects.filter(quarter=demo.quarter).count() == 32 + 12
    after = {r.name: r.total for c in board_compute(demo.quarter) for r in c.ranking}
    assert after == before
    report = severity_compute(demo.quarter)
    flagged = {c.group for c in report.calibration if c.flagged}
    assert flagged == {"第二检查组"}
    assert all(c.n == 6 for c in report.calibration)


def test_the_stricter_group_changes_no_total_of_the_demo(demo):
    from decimal import Decimal

    from boards.selectors import board_compute
    from demo.quarter import TARGETS
    from scoring.models import Score

    totals = {r.name: r.indicator_total for c in board_compute(demo.quarter) for r in c.ranking}
    assert totals == {name: Decimal(target) for name, (target, _points) in TARGETS.items()}
    # …while 第二检查组 gave less on the five standardizations than the totals' proportion would.
    s1 = Score.objects.get(
        sheet__quarter=demo.quarter, sheet__branch__name="鸿运物业分公司党支部", indicator__code="S1"
    ).value
    assert s1 < Decimal("12") * Decimal("83.6") / 100 - Decimal("0.5")

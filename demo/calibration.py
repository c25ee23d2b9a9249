"""Calibration branches (校准党组织) in the demo quarter 2019Q1: an opt-in step
(`manage.py seed_calibration_demo`) that leaves every board as it was. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from branches.models import Branch, User
from demo.organisation import demo_company
from demo.quarter import DEMO_QUARTER, STRICTER_GROUP
from scoring.models import CalibrationBranch, Method, Quarter, Score, ScoreSheet
from scoring.services import calibration_mark

# Calibration branches (校准党组织), two per category, scored by every group. Around each branch's
# score of an indicator, 第二检查组 gives 2 × CALIBRATION_STEP less and the other two groups
# CALIBRATION_STEP more each: the mean — which the board ranks on — is the branch's score unchanged.
CALIBRATION_BRANCHES = [
    "白银区供电公司党总支",
    "检修分公司党支部",
    "信息通信分公司党支部",
    "物资供应中心党支部",
    "运维检修部党支部",
    "物资部党支部",
]
CALIBRATION_STEP = Decimal("0.2")


def seed_calibration(users: dict[str, User] | None = None) -> int:
    """Mark the demo's calibration branches and have every group score them (an opt-in step, run by
    `manage.py seed_calibration_demo`). Returns the number of sheets added; 0 when already done or
    the demo quarter has moved on."""
    company = demo_company()
    quarter = Quarter.objects.filter(unit=company, code=DEMO_QUARTER, status=Quarter.Status.SCORING).first()
    if quarter is None or CalibrationBranch.objects.filter(quarter=quarter).exists():
        return 0
    dept = (users or {}).get("dangjian") or User.objects.get(username="dangjian")
    added = 0
    for name in CALIBRATION_BRANCHES:
        branch = Branch.objects.get(evaluating_unit=company, name=name)
        first = ScoreSheet.objects.filter(quarter=quarter, branch=branch).order_by("pk").first()
        base = {s.indicator_id: s for s in first.scores.select_related("indicator")}
        calibration_mark(quarter=quarter, branch=branch, actor=dept)
        for sheet in ScoreSheet.objects.filter(quarter=quarter, branch=branch).select_related("group"):
            strict = sheet.group.name == STRICTER_GROUP
            rows = []
            for indicator_id, score in base.items():
                v, maximum = score.value, score.indicator.max_score
                step = CALIBRATION_STEP if v + CALIBRATION_STEP <= maximum and v >= 2 * CALIBRATION_STEP else 0
                rows.append((indicator_id, v - 2 * step if strict else v + step))
            if sheet.pk == first.pk:
                for indicator_id, value in rows:
                    Score.objects.filter(sheet=sheet, indicator_id=indicator_id).update(value=value)
                continue
            Score.objects.bulk_create(
                Score(sheet=sheet, indicator_id=i, value=value, methods=f"{Method.RECORDS},{Method.ACCOUNT}")
                for i, value in rows
            )
            member = sheet.group.members.order_by("pk").first()
            sheet.status = ScoreSheet.Status.SUBMITTED
            sheet.submitted_at = timezone.now()
            sheet.submitted_by = member
            sheet.save()
            added += 1
    return added

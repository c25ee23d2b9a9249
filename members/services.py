"""党员积分 writes (`<entity>_<action>`, keyword-only, atomic): the roll, the ledger, the ranking's
publication. A quarter here is a calendar quarter of the ledger's dates (2019Q1 = January–March 2019).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import roles
from branches.models import Branch, User
from members.access import is_keeper
from members.models import MemberPoint, MemberRanking, PartyMember
from members.selectors import member_ranking, quarter_code, quarter_dates, quarter_of

POINTS_LIMIT = Decimal("100")


def _require_keeper(user: User, branch: Branch) -> None:
    if not is_keeper(user, branch):
        raise PermissionDenied(_("只有本支部书记可以记录党员积分。"))


@transaction.atomic
def party_member_create(*, branch: Branch, name: str, duty: str = "", user: User) -> PartyMember:
    """登记党员 in the branch's roll."""
    _require_keeper(user, branch)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写党员姓名。")})
    if PartyMember.objects.filter(branch=branch, name=name).exists():
        raise ValidationError({"name": _("本支部已有党员“%(name)s”。") % {"name": name}})
    try:
        with transaction.atomic():
            return PartyMember.objects.create(branch=branch, name=name, duty=(duty or "").strip())
    except IntegrityError as exc:  # the same name added by a concurrent request
        raise ValidationError({"name": _("本支部已有党员“%(name)s”。") % {"name": name}}) from exc


@transaction.atomic
def member_point_record(
    *, member: PartyMember, date: datetime.date, points: Decimal, reason: str, user: User
) -> MemberPoint:
    """Add one line to the ledger. Lines are never edited; a correction is a new line."""
    _require_keeper(user, member.branch)
    errors = {}
    reason = (reason or "").strip()
    if points == 0:
        errors["points"] = _("积分不能为 0：加分填正数，扣分填负数。")
    elif abs(points) > POINTS_LIMIT:
        errors["points"] = _("单次加扣分的绝对值不能超过 %(n)s 分。") % {"n": POINTS_LIMIT}
    if len(reason) < 2:
        errors["reason"] = _("请写明加扣分事由。")
    if date > timezone.localdate():
        errors["date"] = _("日期不能晚于今天。")
    elif MemberRanking.objects.filter(branch_id=member.branch_id, year=date.year, number=quarter_of(date)[1]).exists():
        errors["date"] = _("%(code)s 的党员积分排名已经发布，不能再记录该季度的积分。") % {
            "code": quarter_code(*quarter_of(date))
        }
    if not member.is_active:
        errors["member"] = _("%(name)s 已不在册。") % {"name": member.name}
    if errors:
        raise ValidationError(errors)
    return MemberPoint.objects.create(member=member, date=date, points=points, reason=reason, recorded_by=user)


@transaction.atomic
def member_ranking_publish(*, branch: Branch, year: int, number: int, user: User) -> MemberRanking:
    """Publish the branch's member ranking for a finished quarter: the rows are frozen, the
    quarter's ledger closes, and the ranking shows on the points dashboard. Once only."""
    if not (is_keeper(user, branch) or roles.is_dept(user)):
        raise PermissionDenied(_("只有本支部书记或党建部可以发布党员积分排名。"))
    Branch.objects.select_for_update().filter(pk=branch.pk).first()  # one publication at a time per branch
    code = quarter_code(year, number)
    if MemberRanking.objects.filter(branch=branch, year=year, number=number).exists():
        raise ValidationError(_("%(code)s 的党员积分排名已经发布，不能重复发布。") % {"code": code})
    if quarter_dates(year, number)[1] >= timezone.localdate():
        raise ValidationError(_("%(code)s 还没有结束，季度结束后才能发布排名。") % {"code": code})
    rows = member_ranking(branch, year, number)
    if not any(r.entries for r in rows):
        raise ValidationError(_("%(code)s 没有任何党员积分记录，无需发布。") % {"code": code})
    try:
        with transaction.atomic():
            return MemberRanking.objects.create(
                branch=branch,
                year=year,
                number=number,
                rows=[{"rank": r.rank, "name": r.name, "points": str(r.points)} for r in rows],
                published_by=user,
            )
    except IntegrityError as exc:  # published by a concurrent request (SQLite has no row lock)
        raise ValidationError(_("%(code)s 的党员积分排名已经发布，不能重复发布。") % {"code": code}) from exc

"""Writes for the board: publication, exclusions, the adjustment table, the publication notices.

Views, the `board` command and tasks call these, never the ORM directly.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from boards import publication_parts
from boards.announcement import points_text
from boards.models import AdjustmentRule, BoardEntry, BoardScore, CategoryMean, Exclusion, PublishedIndicator
from boards.ranking import BLUE, RED, category_means, compute_board
from boards.selectors import (
    DEFAULT_ADJUSTMENTS,
    adjustment_table,
    announcement_company,
    board_inputs,
    branch_has_uncounted_sheet,
    uncounted_sheets,
)
from branches import roles
from branches.models import CATEGORY_SYMBOLS, Branch, Category, Unit, User
from branches.units import evaluating_unit_named, runs
from scoring.models import Indicator, Quarter
from scoring.services import quarter_transition

logger = logging.getLogger(__name__)

PUBLISHABLE = (Quarter.Status.SCORING, Quarter.Status.CLOSED)


def _require_dept(user: User) -> None:
    if not roles.is_dept(user):
        raise PermissionDenied(_("只有党建部可以进行此操作。"))


def _lock_open_quarter(quarter: Quarter, action: str) -> Quarter:
    """Lock the quarter row; refuse unless it is being scored or closed (not yet published)."""
    locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if locked.is_published:
        raise ValidationError(
            _("季度 %(code)s 的红蓝榜已经发布，不能再%(action)s。") % {"code": locked.code, "action": action}
        )
    if locked.status not in PUBLISHABLE:
        raise ValidationError(
            _("季度 %(code)s 还处于“%(status)s”状态，评分开始后才能%(action)s。")
            % {"code": locked.code, "status": locked.get_status_display(), "action": action}
        )
    return locked


@transaction.atomic
def quarter_publish(*, quarter: Quarter, user: User) -> Quarter:
    """发布红蓝榜: 评分中 (closing scoring) or 已截止 → 已发布, in one transaction with the quarter row
    locked. Stores what publication freezes (_publication_snapshot_store) — every page and export
    of the published quarter is read from it and never recomputed — and writes the follow-up jobs
    (boards.followups) in the same transaction; they are queued once it commits.

    The ranking is computed in Python (boards.ranking), not with window functions: PostgreSQL
    cannot combine those with SELECT … FOR UPDATE.
    """
    _require_dept(user)
    if not runs(user, quarter.unit):
        raise PermissionDenied(_("只有%(unit)s党建部可以发布本单位的红蓝榜。") % {"unit": quarter.unit.name})
    if quarter.is_published:
        raise ValidationError(_("季度 %(code)s 的红蓝榜已经发布，不能重复发布。") % {"code": quarter.code})
    locked = _lock_open_quarter(quarter, _("发布红蓝榜"))
    publication_check_counted(quarter=locked)
    categories = compute_board(board_inputs(locked), adjustment_table(locked.unit))
    unscored = [r.name for c in categories for r in c.unscored]
    if unscored:
        raise ValidationError(
            _(
                "还有 %(n)s 个党组织未完成评分：%(names)s。请先完成评分，"
                "或由党建部写明原因将其排除在本季度排名之外，然后再发布。"
            )
            % {"n": len(unscored), "names": "、".join(unscored)}
        )
    if not any(c.ranking for c in categories):
        raise ValidationError(_("季度 %(code)s 没有可排名的党组织，不能发布。") % {"code": locked.code})

    _publication_snapshot_store(quarter=locked, categories=categories)
    publication_parts.parts_run(locked)
    closed_at = locked.closed_at
    locked = quarter_transition(quarter=locked, to=Quarter.Status.PUBLISHED, actor=user)
    locked.closed_at = closed_at or locked.published_at  # publishing from 评分中 closes scoring too
    locked.published_by = user
    locked.published_unit_name = announcement_company(locked)  # the 通报's signature, frozen
    locked.save(update_fields=["closed_at", "published_by", "published_unit_name"])
    audit_record(
        user=user,
        action="board_publish",
        target=locked,
        detail={
            "红榜": "、".join(r.name for c in categories for r in c.red),
            "蓝榜": "、".join(r.name for c in categories for r in c.blue),
        },
    )

    from boards.followups import follow_ups_create

    follow_ups_create(quarter=locked)  # rows in this transaction; queued once it commits
    return locked


NAMED_IN_REFUSAL = 30  # sheets named in the refusal; the preview lists them all


def publication_check_counted(*, quarter: Quarter) -> None:
    """Refuse publication while a branch that would be ranked has work the board does not count:
    a draft, a returned sheet not submitted again, or no sheet at all. The error names them; 党建部
    may instead exclude the branch with a written reason (exclusion_create)."""
    blocking = [u for u in uncounted_sheets(quarter) if not u.excluded]
    if not blocking:
        return
    names = "、".join(u.describe() for u in blocking[:NAMED_IN_REFUSAL])
    if len(blocking) > NAMED_IN_REFUSAL:
        names += _("等")
    raise ValidationError(
        _(
            "还有 %(n)s 张评分表未提交，不计入红蓝榜：%(names)s。请检查组提交（或重新提交）后再发布，"
            "或由党建部写明原因将该党组织排除在本季度排名之外。"
        )
        % {"n": len(blocking), "names": names}
    )


_BOARD_ROW_FIELDS = (
    "branch_id",
    "branch_name",
    "unit_id",
    "unit_name",
    "category",
    "status",
    "indicator_total",
    "contribution",
    "total",
    "rank",
    "board",
    "adjustment",
    "note",
)
_BOARD_SCORE_FIELDS = ("branch_id", "indicator_id", "value")


def _publication_snapshot_store(*, quarter: Quarter, categories) -> None:
    """Store what publication freezes, inside the publishing transaction: the scheme as it stands
    (PublishedIndicator), a row per ranked or excluded branch with its name, unit and category as
    they are now (BoardEntry), each row's per-indicator scores (BoardScore), and each category's
    mean on each indicator (CategoryMean). Six queries."""
    indicators = list(Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id"))
    published = PublishedIndicator.objects.bulk_create(
        PublishedIndicator(
            quarter=quarter,
            indicator=i,
            category=i.category,
            code=i.code,
            name=i.name,
            max_score=i.max_score,
            position=i.position,
        )
        for i in indicators
    )
    published_id = {i.pk: p.pk for i, p in zip(indicators, published, strict=True)}
    units = {
        pk: (unit_id, unit_name) for pk, unit_id, unit_name in Branch.objects.values_list("pk", "unit_id", "unit__name")
    }
    results = [r for c in categories for r in c.ranking + c.excluded]
    _rows_store(
        BoardEntry,
        _BOARD_ROW_FIELDS,
        quarter,
        (
            (
                r.branch_id,
                r.name,
                *units.get(r.branch_id, (None, "")),
                r.category,
                r.status,
                r.indicator_total,
                r.contribution,
                r.total,
                r.rank,
                r.board,
                r.adjustment,
                r.note,
            )
            for r in results
        ),
    )
    _rows_store(
        BoardScore,
        _BOARD_SCORE_FIELDS,
        quarter,
        # In the unique index's order: appending to the B-tree instead of inserting all over it.
        sorted((r.branch_id, published_id[k], v) for r in results for k, v in r.scores.items()),
        plain=True,
    )
    CategoryMean.objects.bulk_create(
        CategoryMean(quarter=quarter, category=category, indicator_id=published_id[k], mean=mean)
        for (category, k), mean in category_means(categories).items()
    )


def _copy_text(value) -> str:
    """A value in PostgreSQL COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _rows_store(
    model, fields: tuple[str, ...], quarter: Quarter, rows: Iterable[tuple], *, plain: bool = False
) -> None:
    """Insert a quarter's snapshot rows of `model` (tuples in `fields` order). On PostgreSQL through
    COPY: 50,000 board rows take well under a second, where bulk_create spends ~10 s building and
    preparing model instances. Elsewhere through bulk_create. `plain`: every value is a number,
    never NULL, so none needs COPY's escaping (the ~500,000 scores of a large quarter)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(quarter=quarter, **dict(zip(fields, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    columns = ["quarter_id"] + [model._meta.get_field(name).column for name in fields]
    buffer = io.StringIO()
    if plain:
        prefix = f"{quarter.pk}\t"
        buffer.writelines(prefix + "\t".join(map(str, row)) + "\n" for row in rows)
    else:
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in (quarter.pk, *row)))
            buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer)


@transaction.atomic
def exclusion_create(*, quarter: Quarter, branch: Branch, reason: str, user: User) -> Exclusion:
    """Leave an unscored branch out of the quarter's ranking, with a written reason shown on the board."""
    _require_dept(user)
    locked = _lock_open_quarter(quarter, _("调整参加排名的党组织"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("请写明不参加排名的原因（至少 4 个字）。")})
    if branch.evaluating_unit_id != locked.unit_id:  # another unit's branch is on no board of this quarter
        raise ValidationError({"branch": _("%(name)s 不由本单位考评。") % {"name": branch.name}})
    if not branch.is_active:
        raise ValidationError({"branch": _("%(name)s 不参加考评，无需排除。") % {"name": branch.name}})
    if Exclusion.objects.filter(quarter=locked, branch=branch).exists():
        raise ValidationError({"branch": _("%(name)s 已经不参加本季度排名。") % {"name": branch.name}})
    inputs = {b.branch_id: b for b in board_inputs(locked)}
    from boards.ranking import evaluate_branch

    if evaluate_branch(inputs[branch.pk]).status != "unscored" and not branch_has_uncounted_sheet(locked, branch):
        raise ValidationError(
            {
                "branch": _("%(name)s 的评分已全部提交，只能排除未完成评分或有评分表未提交的党组织。")
                % {"name": branch.name}
            }
        )
    exclusion = Exclusion.objects.create(quarter=locked, branch=branch, reason=reason, created_by=user)
    audit_record(user=user, action="exclusion_create", target=locked, detail={"党组织": branch.name, "原因": reason})
    return exclusion


@transaction.atomic
def exclusion_delete(*, exclusion: Exclusion, user: User) -> None:
    """Take an exclusion back: the branch is listed as unscored again."""
    _require_dept(user)
    locked = _lock_open_quarter(exclusion.quarter, _("调整参加排名的党组织"))
    Exclusion.objects.filter(pk=exclusion.pk).delete()
    audit_record(
        user=user,
        action="exclusion_delete",
        target=locked,
        detail={"党组织": exclusion.branch.name, "原因": f"{exclusion.reason} → （撤销）"},
    )


@transaction.atomic
def adjustment_table_update(*, points: dict[tuple[str, str], Decimal], user: User, unit: Unit | None = None) -> int:
    """Set the 月度绩效加扣分 table. Red adds (≥ 0), blue deducts (≤ 0). Returns how many rows changed.
    Published boards keep the adjustments they were published with."""
    _require_dept(user)
    errors = {}
    for (category, board), value in points.items():
        if board == RED and value < 0:
            errors[f"c{category}_{board}"] = _("红榜应为加分，不能小于 0。")
        if board == BLUE and value > 0:
            errors[f"c{category}_{board}"] = _("蓝榜应为扣分，不能大于 0。")
        if abs(value) > 10:
            errors[f"c{category}_{board}"] = _("加扣分的绝对值不能超过 10 分。")
    if errors:
        raise ValidationError(errors)
    changed = 0
    unit = unit or evaluating_unit_named(None)
    rules = {(r.category, r.board): r for r in AdjustmentRule.objects.select_for_update().filter(unit=unit)}
    # What the board applied so far: the unit's rows, the report's defaults where it has none.
    before = {**DEFAULT_ADJUSTMENTS, **{key: rule.points for key, rule in rules.items()}}
    for key, value in points.items():
        rule = rules.get(key)
        if rule is None:
            AdjustmentRule(unit=unit, category=key[0], board=key[1], points=value, updated_by=user).save()
            changed += before.get(key) != value
        elif rule.points != value:
            rule.points = value
            rule.updated_by = user
            rule.save(update_fields=["points", "updated_by", "updated_at"])
            changed += 1
    if changed:
        audit_record(
            user=user,
            action="adjustment_edit",
            detail={
                f"{CATEGORY_SYMBOLS[Category(c)]}类{'红榜' if b == RED else '蓝榜'}": f"{before.get((c, b), '—')} → {v}"
                for (c, b), v in points.items()
                if before.get((c, b)) != v
            },
        )
    return changed


def secretaries_notify(*, quarter: Quarter) -> int:
    """A follow-up of publication: tell the secretary of every ranked branch its result, in the
    portal (the notice is written in the follow-up's own transaction) and by e-mail (sent once that
    transaction commits). Idempotent: a secretary who already has this quarter's notice is not told
    again, so the follow-up may run twice. Returns the number of notices written."""
    from branches.models import Notice
    from branches.services import notice_send

    entries = list(
        BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED, branch__secretary__isnull=False)
        .select_related("branch")
        .order_by("category", "rank")
    )
    urls = {e.pk: reverse("boards:branch", args=[e.branch_id]) + f"?quarter={quarter.code}" for e in entries}
    already = set(Notice.objects.filter(url__in=urls.values()).values_list("user_id", "url"))
    count = 0
    for entry in entries:
        url = urls[entry.pk]
        if (entry.branch.secretary_id, url) in already:
            continue
        message = _("%(label)s红蓝榜已发布：%(branch)s在%(category)s中排名第 %(rank)s，总分 %(total)s 分。") % {
            "label": quarter.label,
            "branch": entry.branch_name,
            "category": Category(entry.category).label,
            "rank": entry.rank,
            "total": entry.total,
        }
        if entry.board == RED:
            message += _("列入红榜，月度绩效%(points)s。") % {"points": points_text(entry.adjustment)}
        elif entry.board == BLUE:
            message += _("列入蓝榜，月度绩效%(points)s，公司党委将开展“清单式”约谈。") % {
                "points": points_text(entry.adjustment)
            }
        secretary_id = entry.branch.secretary_id
        assert secretary_id is not None  # filtered on branch__secretary__isnull=False
        notice = notice_send(user_id=secretary_id, message=message, url=url)
        transaction.on_commit(partial(_notice_mail, notice))
        count += 1
    return count


def _notice_mail(notice) -> None:
    """The e-mail copy of a publication notice. The notice itself is already stored: a mail server
    that refuses is logged, and never undoes or repeats the follow-up."""
    from django.conf import settings
    from django.core.mail import send_mail

    if not notice.user.email:
        return
    try:
        send_mail(
            subject=f"[{settings.COMPANY_NAME}] 红蓝榜通知",
            message=f"{notice.message}\n\n{notice.url}",
            from_email=None,
            recipient_list=[notice.user.email],
        )
    except Exception:
        logger.exception("The e-mail copy of notice %s could not be sent.", notice.pk)

"""Reads for interviews and rectification: lists, the overview, reminders, home cards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import Board, BoardEntry
from branches import roles
from branches.home import HomeCard
from interviews.models import OPEN_STATUSES, Interview, ItemStatus, LookBack, RectificationItem
from scoring.models import Quarter

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REMIND_DAYS = 7


def items_to_remind(today: datetime.date) -> QuerySet[RectificationItem]:
    """Open items due within REMIND_DAYS days or already overdue, not yet reminded today."""
    return (
        RectificationItem.objects.filter(
            status__in=OPEN_STATUSES,
            deadline__isnull=False,
            deadline__lte=today + datetime.timedelta(days=REMIND_DAYS),
        )
        .exclude(reminders__sent_on=today)
        .select_related("interview__branch")
        .order_by("deadline", "id")
    )


def _overdue_q(today: datetime.date, prefix: str = "items__") -> Q:
    return Q(**{f"{prefix}status__in": OPEN_STATUSES, f"{prefix}deadline__lt": today})


class ItemCounts(TypedDict):
    """The counts `interviews_with_progress` annotates each interview with."""

    n_items: int
    n_accepted: int
    n_completed: int
    n_unanswered: int
    n_overdue: int
    n_due_soon: int


def interviews_with_progress(
    qs: QuerySet[Interview], today: datetime.date | None = None
) -> QuerySet[WithAnnotations[Interview, ItemCounts]]:
    """Interviews annotated with item counts: total, accepted, completed (awaiting check), overdue,
    due soon. One query, whatever the number of interviews."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMIND_DAYS)
    return (
        qs.select_related("quarter__unit", "branch", "interviewer", "interviewee")
        .annotate(
            n_items=Count("items", distinct=True),
            n_accepted=Count("items", filter=Q(items__status=ItemStatus.ACCEPTED), distinct=True),
            n_completed=Count("items", filter=Q(items__status=ItemStatus.COMPLETED), distinct=True),
            n_unanswered=Count("items", filter=Q(items__status=ItemStatus.PENDING), distinct=True),
            n_overdue=Count("items", filter=_overdue_q(today), distinct=True),
            n_due_soon=Count(
                "items",
                filter=Q(items__status__in=OPEN_STATUSES, items__deadline__gte=today, items__deadline__lte=soon),
                distinct=True,
            ),
        )
        .order_by("-quarter__year", "-quarter__number", "branch__category", "branch__name")
    )


def interview_items(interview: Interview) -> list[RectificationItem]:
    """The checklist of one interview, with what the list shows, in constant queries."""
    return list(
        interview.items.select_related("problem__indicator")
        .annotate(n_evidence=Count("evidence", distinct=True))
        .order_by("position", "id")
    )


def interview_look_backs(interview: Interview) -> list[LookBack]:
    return list(
        interview.look_backs.select_related("created_by", "conducted_by").prefetch_related(
            Prefetch("results", queryset=_results_qs())
        )
    )


def _results_qs():
    from interviews.models import LookBackResult

    return LookBackResult.objects.select_related("item").order_by("item__position", "item_id")


@dataclass
class RepeatBlue:
    branch_id: int
    name: str
    category: str
    times: int
    quarters: list[str]
    unit: str = ""  # the evaluating unit whose boards these are


def last_published_quarters(n: int = 4, *, user=None) -> list[Quarter]:
    """The last `n` published quarters — of each evaluating unit the user's role reaches (issue 17:
    a province reads every city's own last four), or of the whole installation without a user. One query."""
    if user is None:
        return list(Quarter.objects.published()[:n])
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    ranked = (
        Quarter.objects.visible_to(user)
        .filter(status=Quarter.Status.PUBLISHED)
        .annotate(nth=Window(RowNumber(), partition_by=[F("unit_id")], order_by=[F("year").desc(), F("number").desc()]))
        .filter(nth__lte=n)
        .order_by("-year", "-number", "unit_id")
    )
    return list(ranked)


def repeat_blue_branches(quarters: list[Quarter] | None = None) -> list[RepeatBlue]:
    """Branches on the blue board more than once in `quarters` (by default the last four published)."""
    if quarters is None:
        quarters = last_published_quarters()
    rows = (
        BoardEntry.objects.filter(quarter__in=quarters, board=Board.BLUE)
        .values_list("branch_id", "branch_name", "category", "quarter__code", "quarter__unit__name")
        .order_by("quarter__unit__path", "category", "branch_name", "quarter__code")
    )
    by_branch: dict[int, RepeatBlue] = {}
    for branch_id, name, category, code, unit in rows:
        entry = by_branch.setdefault(branch_id, RepeatBlue(branch_id, name, category, 0, [], unit))
        entry.times += 1
        entry.quarters.append(code)
    return [r for r in by_branch.values() if r.times > 1]


def overview(user, today: datetime.date | None = None) -> dict:
    """党建部 and leadership's view of the units their role reaches (issue 17: never another unit's):
    open rectifications with progress, overdue counts, repeat blues of each unit's last four quarters."""
    from interviews.access import visible_interviews

    today = today or timezone.localdate()
    quarters = last_published_quarters(user=user)
    interviews = visible_interviews(user)
    open_interviews = interviews.filter(rectification_closed_at__isnull=True)
    totals = RectificationItem.objects.filter(interview__in=open_interviews).aggregate(
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        awaiting=Count("id", filter=Q(status=ItemStatus.COMPLETED)),
    )
    repeat_blue = repeat_blue_branches(quarters)
    return {
        # A queryset, so the page shows a slice of it: at a province's scale there are thousands.
        "open_interviews": interviews_with_progress(open_interviews, today),
        "overdue_total": totals["overdue"],
        "awaiting_total": totals["awaiting"],
        "closed_count": interviews.filter(rectification_closed_at__isnull=False).count(),
        "repeat_blue": repeat_blue,
        "repeat_blue_units": len({r.unit for r in repeat_blue}) > 1,
        "quarters": sorted({q.code for q in quarters}),
    }


HOME_TO_HOLD = 8  # interviews listed on the home card; the rest behind a link


def to_hold_order(qs: QuerySet[Interview]) -> QuerySet[Interview]:
    """Interviews not yet held (rectification still open): the scheduled ones first, soonest first, then those without a time
    (whatever the database's NULL order), the newest quarter first among them."""
    return qs.filter(held_at__isnull=True, rectification_closed_at__isnull=True).order_by(
        F("scheduled_at").asc(nulls_last=True), "-quarter__year", "-quarter__number", "branch__category", "branch__name"
    )


def interviews_to_hold(user=None) -> list[Interview]:
    """Every interview still to hold (of those the user may read), in `to_hold_order`. One query."""
    from interviews.access import visible_interviews

    interviews = visible_interviews(user) if user is not None else Interview.objects.all()
    return list(
        to_hold_order(interviews.filter(rectification_closed_at__isnull=True)).select_related("quarter", "branch")
    )


def home_cards(user) -> list[HomeCard]:
    from interviews.access import secretary_branch_ids

    cards: list[HomeCard] = []
    today = timezone.localdate()
    branch_ids = secretary_branch_ids(user)
    if branch_ids:
        mine = list(interviews_with_progress(Interview.objects.filter(branch_id__in=branch_ids), today)[:3])
        for interview in mine:
            lines = [
                _("%(quarter)s 蓝榜整改：共 %(total)s 项，已验收 %(accepted)s 项")
                % {"quarter": interview.quarter.code, "total": interview.n_items, "accepted": interview.n_accepted},
            ]
            if interview.scheduled_at and not interview.is_held:
                lines.append(
                    _("约谈时间：%(when)s，地点：%(place)s")
                    % {
                        "when": timezone.localtime(interview.scheduled_at).strftime("%Y-%m-%d %H:%M"),
                        "place": interview.place,
                    }
                )
            if interview.n_unanswered:
                lines.append(_("待填报整改措施：%(n)s 项") % {"n": interview.n_unanswered})
            lines.append(
                _("7 天内到期：%(soon)s 项；已逾期：%(overdue)s 项")
                % {"soon": interview.n_due_soon, "overdue": interview.n_overdue}
            )
            if interview.is_closed:
                lines.append(_("整改已全部验收销号。"))
            cards.append(
                HomeCard(
                    title=_("我的整改"),
                    lines=lines,
                    links=[(_("查看整改清单"), interview.get_absolute_url())],
                    tone="danger" if interview.n_overdue else ("success" if interview.is_closed else "primary"),
                )
            )
    if roles.can_read_everything(user):
        from interviews.access import visible_interviews

        open_qs = visible_interviews(user).filter(rectification_closed_at__isnull=True)  # the units in reach
        counts = RectificationItem.objects.filter(interview__in=open_qs).aggregate(
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
            awaiting=Count("id", filter=Q(status=ItemStatus.COMPLETED)),
        )
        lines = [
            _("整改中的蓝榜党组织：%(n)s 个") % {"n": open_qs.count()},
            _("逾期事项：%(overdue)s 项；待验收：%(awaiting)s 项") % counts,
        ]
        to_hold = interviews_to_hold(user)
        shown = to_hold[:HOME_TO_HOLD]
        for pending in shown:
            when = (
                timezone.localtime(pending.scheduled_at).strftime("%Y-%m-%d %H:%M")
                if pending.scheduled_at
                else _("时间待定")
            )
            lines.append(
                _("待约谈：%(quarter)s %(branch)s，%(when)s%(mine)s")
                % {
                    "quarter": pending.quarter.code,
                    "branch": pending.branch.name,
                    "when": when,
                    "mine": _("（由您约谈）") if pending.interviewer_id == user.pk else "",
                }
            )
        links = [(_("整改总览"), reverse("interviews:overview")), (_("约谈列表"), reverse("interviews:list"))]
        if len(to_hold) > len(shown):
            links.append((_("全部待约谈（%(n)s 个）") % {"n": len(to_hold)}, reverse("interviews:list") + "?to_hold=1"))
        cards.append(
            HomeCard(
                title=_("约谈与整改"),
                lines=lines,
                links=links,
                tone="danger" if counts["overdue"] else "primary",
            )
        )
    return cards

"""Reads for quarters and schemes."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from branches import roles
from branches.selectors import HomeCard
from scoring.models import Indicator, Quarter


def quarter_current() -> Quarter | None:
    """The quarter people are working on: the latest one not yet published, else the latest."""
    open_quarter = Quarter.objects.exclude(status=Quarter.Status.PUBLISHED).order_by("-year", "-number").first()
    return open_quarter or Quarter.objects.order_by("-year", "-number").first()


def scheme_for_category(quarter: Quarter, category: str) -> list[Indicator]:
    """The indicators a branch of `category` is scored on: the five standardizations, then its own."""
    return list(quarter.indicators.filter(category__in=["", category]).order_by("category", "position", "id"))


def home_cards(user) -> list[HomeCard]:
    cards = []
    quarter = quarter_current()
    if quarter is None:
        return cards
    if roles.has_role(user, roles.DEPT):
        links = [
            (_("管理考评季度"), reverse("admin:scoring_quarter_changelist")),
            (_("考核指标体系"), reverse("admin:scoring_indicator_changelist") + f"?quarter__id__exact={quarter.pk}"),
        ]
        cards.append(
            HomeCard(
                title=_("当前季度：%(code)s") % {"code": quarter.code},
                lines=[
                    _("状态：%(status)s") % {"status": quarter.get_status_display()},
                    _("考核指标 %(n)s 项") % {"n": quarter.indicators.count()},
                ],
                links=links,
                tone="primary",
            )
        )
    return cards

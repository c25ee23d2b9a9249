"""Reads about the organisation, and the home page's sections gathered from every app."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.module_loading import import_string

# Each app contributes the cards it has for a user on the home page; order is display order.
HOME_PROVIDERS = (
    "branches.selectors.home_cards",
    "scoring.selectors.home_cards",
    "boards.selectors.home_cards",
    "dashboards.selectors.home_cards",
    "interviews.selectors.home_cards",
    "reports.selectors.home_cards",
)


@dataclass
class HomeCard:
    """One block of the home page: a title, a line or two, and the links that act on it."""

    title: str
    lines: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    tone: str = "secondary"  # bootstrap contextual colour of the card's border


def home_sections(user) -> list[HomeCard]:
    cards: list[HomeCard] = []
    for path in HOME_PROVIDERS:
        cards.extend(import_string(path)(user))
    return cards


def home_cards(user) -> list[HomeCard]:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from branches import roles

    cards = []
    if user.branch_id:
        branch = user.branch
        cards.append(
            HomeCard(
                title=_("我的党组织"),
                lines=[
                    f"{branch.name}（{branch.get_category_display()}，{branch.get_kind_display()}）",
                    _("所属单位：%(unit)s") % {"unit": branch.unit.name},
                ],
            )
        )
    if roles.has_role(user, roles.ADMIN) and user.is_staff:
        cards.append(
            HomeCard(
                title=_("系统管理"),
                lines=[_("管理用户、角色、党组织和单位。")],
                links=[
                    (_("进入系统管理"), reverse("admin:index")),
                    (_("用户与角色"), reverse("admin:branches_user_changelist")),
                ],
                tone="dark",
            )
        )
    return cards

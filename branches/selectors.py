"""Reads about the organisation, and its own cards on the home page (registered in branches.apps)."""

from __future__ import annotations

from branches.home import HomeCard


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

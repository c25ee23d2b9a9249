"""The board's cards on the home page (registered in boards.apps): wording and links only; the
data comes from boards.selectors.home."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from boards.selectors.home import home_board, home_pending_quarter
from branches import roles
from branches.home import HomeCard
from branches.models import Category


def home_cards(user) -> list[HomeCard]:
    cards: list[HomeCard] = []
    board = home_board(user)
    if board is not None:
        lines = [
            _("红榜：%(names)s") % {"names": "、".join(board.red) or "—"},
            _("蓝榜：%(names)s") % {"names": "、".join(board.blue) or "—"},
        ]
        links = [(_("查看红蓝榜"), reverse("boards:board", args=[board.quarter.code]))]
        if board.own is not None:
            own = board.own
            lines.append(
                _("本组织：%(category)s第 %(rank)s 名，总分 %(total)s")
                % {"category": Category(own.category).label, "rank": own.rank, "total": own.total}
            )
            links.append((_("本组织考评结果"), reverse("boards:branch", args=[user.branch_id])))
        cards.append(
            HomeCard(
                title=_("%(label)s红蓝榜") % {"label": board.quarter.label},
                lines=lines,
                links=links,
                tone="danger",
            )
        )
    pending = home_pending_quarter(user)
    if pending is not None:
        label = _("预览与发布") if roles.is_dept(user) else _("预览红蓝榜")
        cards.append(
            HomeCard(
                title=_("%(code)s 红蓝榜（未发布）") % {"code": pending.code},
                lines=[
                    _("季度状态：%(status)s") % {"status": pending.get_status_display()},
                    _("发布前请核对预览，处理未完成评分的党组织；发布后全公司可见。"),
                ],
                links=[(label, reverse("boards:preview", args=[pending.code]))],
                tone="primary",
            )
        )
    return cards

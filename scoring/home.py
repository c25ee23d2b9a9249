"""The scoring cards of the home page (registered in scoring.apps): an inspector's tasks and returned
sheets, 党建部's current quarter and its next step."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from branches import roles
from branches.home import HomeCard
from branches.units import home_unit
from scoring.models import (
    Quarter,
    ScoreSheet,
)
from scoring.selectors import inspector_groups, inspector_returned_sheets, quarter_current, quarter_progress


def _returned_card(returned: list[ScoreSheet]) -> HomeCard:
    return HomeCard(
        title=_("被退回的评分表（%(n)s 个）") % {"n": len(returned)},
        lines=[
            _("%(branch)s（%(group)s · %(quarter)s）退回原因：%(reason)s")
            % {
                "branch": s.branch.name,
                "group": s.group.name,
                "quarter": s.quarter.code,
                "reason": Truncator(s.return_reason).chars(60),
            }
            for s in returned
        ]
        + [_("请按原因修改后重新提交，退回的评分表在重新提交前不计入红蓝榜。")],
        links=[
            (_("修改：%(branch)s") % {"branch": s.branch.name}, reverse("scoring:sheet", args=[s.pk])) for s in returned
        ],
        tone="danger",
    )


def home_cards(user) -> list[HomeCard]:
    cards = []
    if roles.has_role(user, roles.INSPECTOR):
        if returned := inspector_returned_sheets(user):
            cards.append(_returned_card(returned))
        open_quarters = Quarter.objects.exclude(status=Quarter.Status.PUBLISHED)
        for p in inspector_groups(user, quarters=open_quarters):
            state = _("已全部提交") if p.sheets and p.submitted == p.sheets else p.group.quarter.get_status_display()
            cards.append(
                HomeCard(
                    title=_("我的检查任务：%(group)s") % {"group": p.group.name},
                    lines=[
                        _("%(quarter)s · %(state)s") % {"quarter": p.group.quarter.code, "state": state},
                        _("已提交 %(submitted)s / %(sheets)s 个党组织")
                        % {"submitted": p.submitted, "sheets": p.sheets},
                        _("已评分 %(scored)s / %(required)s 项指标") % {"scored": p.scored, "required": p.required},
                    ],
                    links=[(_("进入检查组"), reverse("scoring:group_detail", args=[p.group.pk]))],
                    tone="success" if p.sheets and p.submitted == p.sheets else "primary",
                )
            )
    quarter = quarter_current(user)
    if quarter is None:
        home = home_unit(user)
        if roles.has_role(user, roles.DEPT) and (home is None or home.is_evaluating):  # a province runs none
            cards.append(
                HomeCard(
                    title=_("还没有考评季度"),
                    lines=[_("新建第一个季度后即可编辑考核指标体系、建立检查组。")],
                    links=[(_("新建季度"), reverse("scoring:quarter_create"))],
                    tone="primary",
                )
            )
        return cards
    if roles.has_role(user, roles.DEPT):
        progress = quarter_progress(quarter)
        # The actions themselves are POST buttons on the quarter page; the card says which is next.
        if quarter.can_transition_to(Quarter.Status.CLOSED):
            action = _("截止评分…")
        elif quarter.can_transition_to(Quarter.Status.SCORING):
            action = _("开始评分…")
        else:
            action = _("季度状态与操作")
        links = [
            (action, reverse("scoring:quarter_overview", args=[quarter.code])),
            (_("检查组与分配"), reverse("scoring:quarter_groups", args=[quarter.code])),
            (_("贡献度积分"), reverse("scoring:contributions", args=[quarter.code])),
            (_("考核指标体系"), reverse("scoring:scheme", args=[quarter.code])),
            (_("新建季度"), reverse("scoring:quarter_create")),
        ]
        cards.append(
            HomeCard(
                title=_("当前季度：%(code)s") % {"code": quarter.code},
                lines=[
                    _("状态：%(status)s") % {"status": quarter.get_status_display()},
                    _("考核指标 %(n)s 项") % {"n": quarter.indicators.count()},
                    _("检查组 %(groups)s 个；评分表已提交 %(submitted)s / %(sheets)s；未分配党组织 %(unassigned)s 个")
                    % progress,
                ],
                links=links,
                tone="primary",
            )
        )
    return cards

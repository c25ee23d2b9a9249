"""The 通报: the board as a text read out at the quarterly meeting. Pure: plain data in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from boards.ranking import CategoryResult
from branches.models import CATEGORY_SYMBOLS

if TYPE_CHECKING:
    from boards.selectors.published import CategorySummary


def points_text(points: Decimal) -> str:
    """1.50 → "加1.5分", -0.50 → "扣0.5分", 0 → "不加扣分"."""
    if not points:
        return _("不加扣分")
    amount = f"{abs(points).normalize():f}"
    return (_("加%(p)s分") if points > 0 else _("扣%(p)s分")) % {"p": amount}


def _names(results) -> str:
    return "、".join(_("%(name)s（%(total)s分）") % {"name": r.name, "total": r.total} for r in results)


def announcement_text(
    *, quarter_label: str, categories: Sequence[CategoryResult | CategorySummary], company: str, signed_on: str = ""
) -> str:
    ranked = sum(c.ranked_count for c in categories)
    excluded = [r for c in categories for r in c.excluded]
    red_parts = [
        _("%(symbol)s类：%(names)s") % {"symbol": CATEGORY_SYMBOLS[c.category], "names": _names(c.red)}
        for c in categories
        if c.red
    ]
    blue_parts = [
        _("%(symbol)s类：%(names)s") % {"symbol": CATEGORY_SYMBOLS[c.category], "names": _names(c.blue)}
        for c in categories
        if c.blue
    ]
    adjustments = [
        _("%(name)s%(points)s") % {"name": r.name, "points": points_text(r.adjustment)}
        for c in categories
        for r in c.red + c.blue
    ]
    no_board = [CATEGORY_SYMBOLS[c.category] for c in categories if c.ranked_count and not c.red]

    lines = [
        _("关于%(label)s基层党组织差异化考评结果的通报") % {"label": quarter_label},
        "",
        _("各党（总）支部："),
        _(
            "按照公司党委基层党建工作季度差异化考评安排，党建部组织检查组，采取查阅资料、系统调阅、听取介绍等方式，"
            "对%(n)s个党（总）支部开展了交叉互查，按Ⅰ、Ⅱ、Ⅲ类分别排名。现将考评结果通报如下："
        )
        % {"n": ranked},
        _("一、红榜：%(parts)s。") % {"parts": "；".join(red_parts) or _("无")},
        _("二、蓝榜：%(parts)s。") % {"parts": "；".join(blue_parts) or _("无")},
    ]
    if adjustments:
        lines.append(_("三、月度绩效加扣分：%(parts)s。") % {"parts": "；".join(adjustments)})
    lines.append(
        _(
            "四、对列入蓝榜的党（总）支部，由公司党委书记开展“清单式”约谈，对照问题清单逐项制定整改措施，"
            "明确完成时限和责任人，整改情况纳入“回头看”。希望各党（总）支部对标先进、查找差距，推动基层党建工作全面提升。"
        )
    )
    if no_board:
        lines.append(
            _("说明：%(symbols)s类参加排名的党组织得分相同或不足两个，本季度不设红蓝榜。")
            % {"symbols": "、".join(no_board)}
        )
    if excluded:
        lines.append(
            _("以下党组织本季度不参加排名：%(parts)s。")
            % {"parts": "；".join(_("%(name)s（%(reason)s）") % {"name": r.name, "reason": r.note} for r in excluded)}
        )
    lines += ["", _("%(company)s党委党建部") % {"company": company}]
    if signed_on:
        lines.append(signed_on)
    return "\n".join(lines)

"""The severity report's headline in plain Chinese (检查组评分宽严度：结论): what was compared —
which groups, which categories, how many calibration branches — and what it means for the board.

A pure function of the report. The statistics stay on the page, folded below; this is what a
member of 党建部 or the committee reads first. The reasoning it spells out:

- the board ranks within each category only, so a group's strictness moves ranks only where a
  category is scored by more than one group; a category scored by one group is ranked by one
  standard, whatever that group's strictness;
- a group that alone scored a category cannot be told apart from the category: a lower mean may be
  strictness or weaker branches;
- calibration branches (every group scores the same branches) measure strictness directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from branches.models import Category
from fairness.report import MIN_CALIBRATION_BRANCHES, OVERALL, SeverityReport


@dataclass
class Headline:
    compared: str
    meaning: list[str] = field(default_factory=list)
    tone: str = "secondary"  # "warning" when something calls for a second look


def _label(category: str) -> str:
    try:
        return str(Category(category).label)
    except ValueError:
        return category


def _labels(categories: list[str]) -> str:
    return "、".join(_label(c) for c in categories)


def _points(value: float) -> str:
    return f"{abs(value) * 100:.1f}"


def _compared(report: SeverityReport, names: dict[str, str]) -> str:
    groups = report.groups
    parts = []
    if report.indicators:
        shown = "、".join(names.get(code, code) for code in report.indicators)
        parts.append(
            _("比较了 %(n)s 个检查组（%(groups)s）在 %(k)s 项共同指标（%(indicators)s）上的平均得分率")
            % {"n": len(groups), "groups": "、".join(groups), "k": len(report.indicators), "indicators": shown}
        )
    else:
        parts.append(
            _("%(n)s 个检查组（%(groups)s）还没有共同评分的指标，无法相互比较")
            % {"n": len(groups), "groups": "、".join(groups) or _("无")}
        )
    if report.group_categories:
        per_group = []
        for group in groups:
            categories = report.group_categories.get(group, [])
            if len(categories) == 1:
                per_group.append(_("%(group)s只评了%(category)s") % {"group": group, "category": _label(categories[0])})
            elif categories:
                per_group.append(_("%(group)s评了%(categories)s") % {"group": group, "categories": _labels(categories)})
        if per_group:
            parts.append("，".join(per_group))
    n = len(report.calibration_branches)
    if n:
        parts.append(_("另有 %(n)s 个校准党组织由各组分别评分") % {"n": n})
    else:
        parts.append(_("没有校准党组织（由各组分别评分的同一批党组织）"))
    return "；".join(parts) + "。"


def _scorers(report: SeverityReport) -> dict[str, list[str]]:
    """category → the groups that scored it (calibration left out)."""
    out: dict[str, list[str]] = {}
    for group in report.groups:
        for category in report.group_categories.get(group, []):
            out.setdefault(category, []).append(group)
    return dict(sorted(out.items()))


def severity_headline(report: SeverityReport, names: dict[str, str] | None = None) -> Headline:
    names = names or {}
    headline = Headline(compared=_compared(report, names))
    scorers = _scorers(report)
    for group, overall, single in report.group_flags():
        figure = overall or single[0]
        direction = _("低") if figure.difference < 0 else _("高")
        what = (
            _("总体平均得分率比其他检查组%(dir)s %(pts)s 个百分点")
            if figure.indicator == OVERALL
            else _("“%(name)s”的平均得分率比其他检查组%(dir)s %(pts)s 个百分点")
        ) % {"dir": direction, "pts": _points(figure.difference), "name": names.get(figure.indicator, figure.indicator)}
        own = report.group_categories.get(group, [])
        alone = [c for c in own if scorers.get(c) == [group]]
        if own and len(alone) == len(own):
            headline.meaning.append(
                _(
                    "%(group)s%(what)s，但它只评了%(categories)s，而%(categories)s也只由它评分："
                    "分不清这是评分偏%(strict)s，还是这些党组织本身得分%(dir)s。"
                )
                % {
                    "group": group,
                    "what": what,
                    "categories": _labels(own),
                    "strict": _("严") if figure.difference < 0 else _("宽"),
                    "dir": direction,
                }
            )
        else:
            shared = [c for c in own if c not in alone]
            headline.meaning.append(
                _(
                    "%(group)s%(what)s；%(categories)s还有其他检查组评分，这一差别可能改变类别内的名次，建议复核其评分表。"
                )
                % {"group": group, "what": what, "categories": _labels(shared) or _("它评的类别")}
            )
            headline.tone = "warning"
    if not report.group_flags() and report.indicators:
        headline.meaning.append(_("各检查组在共同指标上的得分率差别没有超出随机波动。"))

    n = len(report.calibration_branches)
    flagged = report.flagged_calibration
    tested = [c for c in report.calibration if c.p is not None]
    if flagged:
        for c in flagged:
            headline.meaning.append(
                _(
                    "在 %(n)s 个校准党组织上（同一党组织由各组分别评分），%(group)s的评分平均比各组均值%(dir)s "
                    "%(pts)s 个百分点，超出随机波动：这是%(group)s评分偏%(strict)s的直接证据。"
                )
                % {
                    "n": c.n,
                    "group": c.group,
                    "dir": _("低") if c.deviation < 0 else _("高"),
                    "pts": _points(c.deviation),
                    "strict": _("严") if c.deviation < 0 else _("宽"),
                }
            )
        headline.tone = "warning"
    elif tested:
        headline.meaning.append(
            _("在 %(n)s 个校准党组织上，各组对同一党组织的评分差别没有超出随机波动：没有证据表明哪个组偏严或偏宽。")
            % {"n": n}
        )
    elif n:
        headline.meaning.append(
            _("校准党组织只有 %(n)s 个，少于检验所需的 %(min)s 个，暂不能据此判断宽严。")
            % {"n": n, "min": MIN_CALIBRATION_BRANCHES}
        )
    else:
        headline.meaning.append(
            _("要直接衡量宽严，可设置校准党组织：每个检查组各评同一批党组织（至少 %(min)s 个）。")
            % {"min": MIN_CALIBRATION_BRANCHES}
        )

    # What it means for the board: ranks are within a category, so only a category with several
    # groups is exposed to their differences.
    mixed = {c: g for c, g in scorers.items() if len(g) > 1}
    if scorers and not mixed:
        headline.meaning.append(
            _(
                "对红蓝榜的影响：红蓝榜在每个类别内排名，而每个类别都只由一个检查组评分，"
                "同一类别按同一把尺子打分，组间宽严不会改变类别内的名次和红蓝榜结果。"
            )
        )
    for category, groups in mixed.items():
        headline.meaning.append(
            _(
                "对红蓝榜的影响：%(category)s由%(groups)s分别评分，组间宽严会直接影响%(category)s内的名次和红蓝榜，请结合上面的结论复核。"
            )
            % {"category": _label(category), "groups": "、".join(groups)}
        )
        headline.tone = "warning"
    return headline

"""Reads for quarters and schemes."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from branches import roles
from branches.home import HomeCard
from branches.models import Branch, Category, User
from scoring import scheme
from scoring.models import (
    ContributionPoint,
    DeductionItem,
    Indicator,
    InspectionGroup,
    Problem,
    Quarter,
    Score,
    ScoreChange,
    ScoreSheet,
)


def quarter_current() -> Quarter | None:
    """The quarter people are working on: the latest one not yet published, else the latest."""
    open_quarter = Quarter.objects.exclude(status=Quarter.Status.PUBLISHED).newest_first().first()
    return open_quarter or Quarter.objects.newest_first().first()


def quarters_all() -> list[Quarter]:
    """Every quarter, newest first (for the quarter switcher)."""
    return list(Quarter.objects.newest_first())


def scheme_for_category(quarter: Quarter, category: str) -> list[Indicator]:
    """The indicators a branch of `category` is scored on: the five standardizations, then its own."""
    return list(quarter.indicators.for_category(category))


def required_counts(quarters) -> dict[tuple[int, str], int]:
    """(quarter id, category) → how many indicators a branch of that category is scored on. One query."""
    per: dict[int, dict[str, int]] = defaultdict(dict)
    rows = Indicator.objects.filter(quarter__in=quarters).values_list("quarter_id", "category").annotate(n=Count("id"))
    for quarter_id, category, n in rows:
        per[quarter_id][category] = n
    return {
        (quarter_id, category): scheme.count(counts, category)
        for quarter_id, counts in per.items()
        for category in Category.values
    }


def _with_progress(sheets) -> list[ScoreSheet]:
    """Sheets with `.scored` (indicators given a value) and `.required`. Two queries, whatever N."""
    sheets = list(
        sheets.select_related("branch", "group").annotate(scored=Count("scores", filter=Q(scores__value__isnull=False)))
    )
    required = required_counts({s.quarter_id for s in sheets})
    for sheet in sheets:
        sheet.required = required.get((sheet.quarter_id, sheet.branch.category), 0)
    return sheets


def group_sheets(group: InspectionGroup) -> list[ScoreSheet]:
    """The group's branches with their progress, in category then name order."""
    return _with_progress(ScoreSheet.objects.filter(group=group).order_by("branch__category", "branch__name"))


@dataclass
class GroupProgress:
    group: InspectionGroup
    sheets: int = 0
    submitted: int = 0
    scored: int = 0
    required: int = 0


def groups_progress(groups) -> list[GroupProgress]:
    """Progress of each group of a queryset, in its order. Three queries, whatever N."""
    progress = {g.pk: GroupProgress(group=g) for g in groups.select_related("quarter", "leader")}
    if not progress:
        return []
    required = required_counts({p.group.quarter_id for p in progress.values()})
    rows = (
        ScoreSheet.objects.filter(group__in=progress)
        .values_list("group_id", "quarter_id", "branch__category", "status")
        .annotate(n=Count("id", distinct=True), scored=Count("scores", filter=Q(scores__value__isnull=False)))
    )
    for group_id, quarter_id, category, status, n, scored in rows:
        p = progress[group_id]
        p.sheets += n
        p.submitted += n if status == ScoreSheet.Status.SUBMITTED else 0
        p.scored += scored
        p.required += n * required.get((quarter_id, category), 0)
    return list(progress.values())


def quarter_groups_progress(quarter: Quarter) -> list[GroupProgress]:
    return groups_progress(InspectionGroup.objects.filter(quarter=quarter).order_by("pk"))


def inspector_groups(user, *, quarters=None) -> list[GroupProgress]:
    """The groups a person sits in (newest quarter first) with their progress."""
    groups = InspectionGroup.objects.filter(members=user)
    if quarters is not None:
        groups = groups.filter(quarter__in=quarters)
    return groups_progress(groups.order_by("-quarter__year", "-quarter__number", "pk"))


def quarter_groups(quarter: Quarter) -> list[InspectionGroup]:
    """The quarter's groups, each with `.member_list` and `.sheet_list` (with progress). Four queries."""
    groups = list(
        InspectionGroup.objects.filter(quarter=quarter)
        .select_related("leader")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.select_related("branch").order_by("name"), to_attr="member_list")
        )
        .order_by("pk")
    )
    by_group = defaultdict(list)
    for sheet in _with_progress(
        ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).order_by("branch__category", "branch__name")
    ):
        by_group[sheet.group_id].append(sheet)
    for group in groups:
        group.sheet_list = by_group[group.pk]
        # Which categories the group inspects, e.g. [("Ⅰ类", 10)]; more than one is a mix to see.
        counts = Counter(sheet.branch.category for sheet in group.sheet_list)
        group.category_counts = [(Category(c).label, n) for c, n in sorted(counts.items())]
    return groups


def unassigned_branches(quarter: Quarter) -> list[Branch]:
    return list(
        Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .order_by("category", "name")
    )


def sheet_scores(sheet: ScoreSheet) -> tuple[list[Indicator], dict[int, Score]]:
    """The indicators the sheet's branch is scored on (five standardizations first, each with
    `.deduction_list`) and the sheet's scores by indicator id. Three queries, whatever the number
    of indicators."""
    indicators = scheme_with_deductions(sheet.quarter, sheet.branch.category)
    return indicators, {s.indicator_id: s for s in Score.objects.filter(sheet=sheet)}


def scheme_with_deductions(quarter: Quarter, category: str) -> list[Indicator]:
    """scheme_for_category, each indicator with `.deduction_list` (its 扣分标准). Two queries."""
    indicators = scheme_for_category(quarter, category)
    by_indicator: dict[int, list[DeductionItem]] = defaultdict(list)
    for item in DeductionItem.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("position", "id"):
        by_indicator[item.indicator_id].append(item)
    for indicator in indicators:
        indicator.deduction_list = by_indicator[indicator.pk]
    return indicators


def sheet_deduction_table(indicators: list[Indicator], problems: list[Problem]) -> dict:
    """What the score sheet shows and its script recomputes: each indicator's proposed score
    from the problems recorded against its deduction items (set as `.deducted` and `.proposed` on
    the indicators, None without such problems), and the rules in tenths of a point for the script."""
    from scoring.deductions import Rule, proposed_score, total_deduction

    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for problem in problems:
        if problem.deduction_id:
            found[problem.indicator_id].append((problem.deduction_id, problem.count))
    rules: dict[str, dict] = {}
    maxima: dict[str, int] = {}
    for indicator in indicators:
        items = getattr(indicator, "deduction_list", [])
        plain = {d.pk: Rule(points=d.points, per_occurrence=d.per_occurrence, cap=d.cap) for d in items}
        indicator.deducted = indicator.proposed = None
        if indicator.pk in found:
            indicator.deducted = total_deduction(plain, found[indicator.pk])
            indicator.proposed = proposed_score(indicator.max_score, indicator.deducted)
        if items:
            maxima[str(indicator.pk)] = int(indicator.max_score * 10)
        for d in items:
            rules[str(d.pk)] = {
                "indicator": str(indicator.pk),
                "points": int(d.points * 10),
                "per": d.per_occurrence,
                "cap": None if d.cap is None else int(d.cap * 10),
            }
    return {"rules": rules, "maxima": maxima}


def sheet_problems(sheet: ScoreSheet) -> list[Problem]:
    return list(
        Problem.objects.filter(sheet=sheet)
        .select_related("indicator", "created_by", "deduction")
        .order_by("indicator__category", "indicator__position", "id")
    )


def sheet_history(sheet: ScoreSheet) -> list[ScoreChange]:
    return list(ScoreChange.objects.filter(sheet=sheet).select_related("indicator", "user").order_by("-at", "-id"))


def quarter_contributions(quarter: Quarter) -> list[ContributionPoint]:
    return list(
        ContributionPoint.objects.filter(quarter=quarter)
        .select_related("branch", "created_by")
        .order_by("branch__category", "branch__name", "id")
    )


def contribution_totals(items: list[ContributionPoint]) -> list[tuple[Branch, Decimal]]:
    """Per-branch sums of already loaded items, in the items' order."""
    totals: dict[int, tuple[Branch, Decimal]] = {}
    for item in items:
        branch, total = totals.get(item.branch_id, (item.branch, Decimal("0")))
        totals[item.branch_id] = (branch, total + item.points)
    return list(totals.values())


def quarter_progress(quarter: Quarter) -> dict[str, int]:
    """Counts for 党建部's quarter page: sheets, submitted sheets, branches still unassigned."""
    sheets = ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).aggregate(
        total=Count("id"), submitted=Count("id", filter=Q(status=ScoreSheet.Status.SUBMITTED))
    )
    active = Branch.objects.for_quarter(quarter).count()
    return {
        "sheets": sheets["total"],
        "submitted": sheets["submitted"],
        "branches": active,
        "unassigned": Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .count(),
        "groups": quarter.groups.count(),
    }


def inspector_returned_sheets(user) -> list[ScoreSheet]:
    """The sheets 党建部 returned to a group the person sits in, not yet submitted again, in
    quarters still open: what the inspector has to redo, with the reason. One query."""
    return list(
        ScoreSheet.objects.filter(group__members=user, status=ScoreSheet.Status.DRAFT)
        .exclude(return_reason="")
        .exclude(quarter__status=Quarter.Status.PUBLISHED)
        .select_related("branch", "group", "quarter")
        .order_by("-quarter__year", "-quarter__number", "group__pk", "branch__category", "branch__name")
    )


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
    quarter = quarter_current()
    if quarter is None:
        if roles.has_role(user, roles.DEPT):
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


def sheet_last_version_by_others(sheet: ScoreSheet, user) -> int:
    """The latest version of the sheet with a change by anyone but `user` (0 if none). One query."""
    latest = ScoreChange.objects.filter(sheet=sheet).exclude(user=user).aggregate(v=Max("version"))["v"]
    return latest or 0


def quarter_scoring_branch(branch) -> Quarter | None:
    """A quarter being scored (评分中 or 已截止, not yet published) that includes the branch: every
    active branch is on such a quarter's board, an inactive one where it has a sheet. While there
    is one, the branch's category — the board it is ranked on — cannot change. One query."""
    open_quarters = Quarter.objects.filter(status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED])
    if branch.evaluating_unit_id is not None:  # only its own evaluating unit's quarters include it
        open_quarters = open_quarters.filter(unit_id=branch.evaluating_unit_id)
    if not branch.is_active:
        open_quarters = open_quarters.filter(sheets__branch=branch)
    return open_quarters.order_by("year", "number").first()


def category_locked_message(branch, quarter: Quarter, new_category: str) -> str:
    """Why the branch's category cannot become `new_category` now, in Chinese."""
    from branches.models import Category

    return _(
        "“%(branch)s”正在参加 %(code)s 季度考评（%(status)s），评分期间不能修改类别（%(old)s → %(new)s）。"
        "请在该季度发布后再修改。"
    ) % {
        "branch": branch.name,
        "code": quarter.code,
        "status": quarter.get_status_display(),
        "old": Category(branch.category).label,
        "new": Category(new_category).label,
    }


def scoring_category_lock(branch, new_category: str) -> str | None:
    """Why the branch's category cannot become `new_category`: a quarter including it is being
    scored (registered with branches.category_locks in ScoringConfig.ready())."""
    quarter = quarter_scoring_branch(branch)
    return category_locked_message(branch, quarter, new_category) if quarter else None


# --- the scheme editor and the new quarter's summary ---------------------------------------------------


SCHEME_TARGET = Decimal("100")


@dataclass
class SchemeSection:
    """One block of the scheme editor: the five standardizations (category "") or a category's own
    criteria, each indicator with `.deduction_list`."""

    category: str
    title: str
    indicators: list[Indicator]

    @property
    def total(self) -> Decimal:
        return sum((i.max_score for i in self.indicators), start=Decimal("0"))


@dataclass
class CategoryTotal:
    """A category's total maximum: the five standardizations plus its own criteria."""

    category: str
    label: str
    standard: Decimal
    own: Decimal
    indicators: int
    deductions: int

    @property
    def total(self) -> Decimal:
        return self.standard + self.own

    @property
    def is_target(self) -> bool:
        return self.total == SCHEME_TARGET


def section_title(category: str) -> str:
    """The title of a block of the scheme: the five standardizations, or a category's own criteria."""
    if category == scheme.STANDARD:
        return _("五个标准化（各类别通用）")
    return _("%(category)s特色指标") % {"category": Category(category).label}


def scheme_sections(quarter: Quarter) -> list[SchemeSection]:
    """The quarter's scheme by section, in scoring order. Two queries."""
    from branches.models import Category

    indicators = list(
        quarter.indicators.prefetch_related(
            Prefetch("deductions", queryset=DeductionItem.objects.order_by("position", "id"), to_attr="deduction_list")
        ).order_by(*scheme.SCHEME_ORDER)
    )
    sections = [SchemeSection(c, section_title(c), []) for c in (scheme.STANDARD, *Category.values)]
    by_category = {s.category: s for s in sections}
    for indicator in indicators:
        by_category[indicator.category].indicators.append(indicator)
    return sections


def category_totals(sections: list[SchemeSection]) -> list[CategoryTotal]:
    """Each category's total maximum (a warning unless it is 100), from loaded sections."""
    from branches.models import Category

    standard = sections[0]
    by_category = {s.category: s for s in sections[1:]}
    return [
        CategoryTotal(
            category=c.value,
            label=c.label,
            standard=standard.total,
            own=by_category[c.value].total,
            indicators=len(standard.indicators) + len(by_category[c.value].indicators),
            deductions=sum(len(i.deduction_list) for i in standard.indicators + by_category[c.value].indicators),
        )
        for c in Category
    ]

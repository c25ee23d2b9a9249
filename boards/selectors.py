"""Reads for the board: a quarter's scores loaded in a constant number of queries, fed to the
pure rules in boards.ranking; published boards read back from their frozen BoardEntry rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Avg, F, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from boards.models import AdjustmentRule, BoardEntry, BoardScore, Exclusion, PublishedIndicator
from boards.ranking import (
    BLUE,
    NO_SCORES,
    RANKED,
    RED,
    BranchInput,
    BranchResult,
    CategoryResult,
    ScoreSums,
    compute_board,
    shown_scores,
)
from branches import roles
from branches.models import CATEGORY_SYMBOLS, Branch, Category
from branches.selectors import HomeCard
from scoring.models import ContributionPoint, Indicator, Quarter, Score, ScoreSheet

RANKING_PAGE_SIZE = 50


# The report's table: Ⅰ/Ⅱ red +1.5 blue −1.5; Ⅲ red 0 blue −0.5. The data migration stores it; a
# row that is missing all the same (a flushed test database, a hand-edited table) falls back to it.
DEFAULT_ADJUSTMENTS: dict[tuple[str, str], Decimal] = {
    ("1", RED): Decimal("1.50"),
    ("1", BLUE): Decimal("-1.50"),
    ("2", RED): Decimal("1.50"),
    ("2", BLUE): Decimal("-1.50"),
    ("3", RED): Decimal("0.00"),
    ("3", BLUE): Decimal("-0.50"),
}


def adjustment_table() -> dict[tuple[str, str], Decimal]:
    """(category, board) → points, as 党建部 last set them (the report's default where unset)."""
    return {**DEFAULT_ADJUSTMENTS, **{(r.category, r.board): r.points for r in AdjustmentRule.objects.all()}}


def adjustment_rules() -> list[AdjustmentRule]:
    return list(AdjustmentRule.objects.select_related("updated_by").order_by("category", "board"))


def _required_indicators(quarter: Quarter) -> tuple[list[int], dict[str, list[int]]]:
    """The five standardizations' indicator ids, and each category's own, in scheme order."""
    required: dict[str, list[int]] = defaultdict(list)
    standard: list[int] = []
    for indicator_id, category in (
        Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id").values_list("id", "category")
    ):
        (required[category] if category else standard).append(indicator_id)
    return standard, required


def counted_scores(quarter: Quarter) -> QuerySet[Score]:
    """The scores a board counts: those of the quarter's submitted sheets only. A draft — never
    submitted, or returned by 党建部 and not submitted again — counts for nothing until it is."""
    return Score.objects.filter(sheet__quarter=quarter, sheet__status=ScoreSheet.Status.SUBMITTED)


def _group_scores(queryset) -> dict[int, dict[int, list[Decimal]]]:
    """branch id → indicator id → the groups' scores, for the scores of `queryset`."""
    scores: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = queryset.filter(value__isnull=False).values_list("sheet__branch_id", "indicator_id", "value")
    for branch_id, indicator_id, value in rows.iterator(chunk_size=20_000):
        scores[branch_id][indicator_id].append(value)
    return scores


def group_scores(quarter: Quarter, branch_ids) -> dict[int, dict[int, list[Decimal]]]:
    """branch id → indicator id → the groups' scores, for some branches of the quarter (a page of
    the board, a chunk of an export), from submitted sheets only. One query."""
    return _group_scores(counted_scores(quarter).filter(sheet__branch_id__in=list(branch_ids)))


def board_sums(quarter: Quarter) -> dict[int, ScoreSums]:
    """branch id → the sum of the means of its required indicators that are scored on submitted
    sheets, and how many are scored — summed by the database, so a whole quarter comes back as one row per branch. One query.

    Only sums, means and counts happen in SQL; boards.ranking decides what they make (rounding,
    completeness, ranks). PostgreSQL only: SQLite averages decimals as binary floats."""
    means = (
        counted_scores(quarter)
        .filter(indicator__quarter=quarter, value__isnull=False)
        .filter(Q(indicator__category="") | Q(indicator__category=F("sheet__branch__category")))
        .values("indicator_id", branch=F("sheet__branch_id"))
        .annotate(mean=Avg("value"))
        .order_by()
    )
    sql, params = means.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT branch, SUM(mean), COUNT(*) FROM ({sql}) AS means GROUP BY branch", params)
        return {branch_id: ScoreSums(total, scored) for branch_id, total, scored in cursor.fetchall()}


def sums_in_database() -> bool:
    return connection.vendor == "postgresql"


def board_inputs(quarter: Quarter, *, summed: bool = False) -> list[BranchInput]:
    """Everything the rules need for every active branch of the quarter. Five queries, whatever N.
    Only submitted sheets count (counted_scores).

    With `summed`, each input carries the database's ScoreSums (board_sums) instead of every
    group's score: 50,000 rows for a 50,000-branch quarter instead of half a million."""
    standard, required = _required_indicators(quarter)
    scores: dict[int, dict[int, list[Decimal]]] = {}
    sums: dict[int, ScoreSums] = {}
    if summed:
        sums = board_sums(quarter)
    else:
        scores = _group_scores(counted_scores(quarter))

    points = dict(
        ContributionPoint.objects.filter(quarter=quarter)
        .values("branch_id")
        .annotate(total=Sum("points"))
        .values_list("branch_id", "total")
    )
    excluded = dict(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", "reason"))
    zero = Decimal("0")
    no_sums = ScoreSums(zero, 0)
    required_by_category = {c: standard + required[c] for c in Category.values}

    return [
        BranchInput(
            branch_id=branch_id,
            name=name,
            category=category,
            scores=scores.get(branch_id, NO_SCORES),
            required=required_by_category.get(category, standard),
            contribution=points.get(branch_id) or zero,
            excluded_reason=excluded.get(branch_id),
            sums=sums.get(branch_id, no_sums) if summed else None,
        )
        for branch_id, name, category in Branch.objects.filter(is_active=True)
        .order_by("category", "name")
        .values_list("id", "name", "category")
    ]


def board_compute(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now (a preview while unpublished), one result per category.

    On PostgreSQL the scores are summed in the database and the results carry no per-indicator
    scores (`scores` is empty): board_compute_detailed has them; the board page loads its page's."""
    return compute_board(board_inputs(quarter, summed=sums_in_database()), adjustment_table())


def board_compute_detailed(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now, every result with its per-indicator scores (every score loaded)."""
    return compute_board(board_inputs(quarter), adjustment_table())


# --- published rows ------------------------------------------------------------------------------

_ENTRY_FIELDS = (
    "branch_id",
    "branch_name",
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


def _result_from_row(row: dict) -> BranchResult:
    return BranchResult(
        branch_id=row["branch_id"],
        name=row["branch_name"],
        category=row["category"],
        status=row["status"],
        indicator_total=row["indicator_total"],
        contribution=row["contribution"],
        total=row["total"],
        rank=row["rank"],
        board=row["board"],
        adjustment=row["adjustment"],
        note=row["note"],
        scores={},  # published_scores() has them, for the rows that show them
    )


def _entry_rows(queryset: QuerySet[BoardEntry]) -> list[BranchResult]:
    return [_result_from_row(row) for row in queryset.values(*_ENTRY_FIELDS)]


def published_scores(quarter: Quarter, branch_ids=None, *, extra: Q | None = None) -> dict[int, dict[int, Decimal]]:
    """branch id → PublishedIndicator id → the score as published, for the quarter's branches (or
    some of them: a list, or a queryset of ids; or those `extra` filters). One query."""
    rows = BoardScore.objects.filter(quarter=quarter)
    if extra is not None:
        rows = rows.filter(extra)
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=branch_ids if isinstance(branch_ids, QuerySet) else list(branch_ids))
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for branch_id, indicator_id, value in rows.values_list("branch_id", "indicator_id", "value").iterator(
        chunk_size=20_000
    ):
        scores[branch_id][indicator_id] = value
    return scores


def published_board(quarter: Quarter) -> list[CategoryResult]:
    """The board exactly as it was published: read from BoardEntry, never recomputed. One query.
    The results carry no per-indicator scores (published_scores has them)."""
    out = {c: CategoryResult(category=c) for c in Category.values}
    rows = BoardEntry.objects.filter(quarter=quarter).order_by("category", "rank", "branch_name")
    for result in _entry_rows(rows):
        category = out.setdefault(result.category, CategoryResult(category=result.category))
        if result.status == BoardEntry.Status.RANKED:
            category.ranking.append(result)
        elif result.status == BoardEntry.Status.EXCLUDED:
            category.excluded.append(result)
        else:
            category.unscored.append(result)
    return [out[c] for c in sorted(out)]


def board_categories(quarter: Quarter) -> list[CategoryResult]:
    """The board of a quarter: the published rows once published, else the live preview."""
    return published_board(quarter) if quarter.is_published else board_compute(quarter)


def board_as_dict(quarter: Quarter, categories: list[CategoryResult]) -> dict:
    """The board as the `board --json` command prints it (the issue's format)."""
    return {
        "quarter": quarter.code,
        "published": quarter.is_published,
        "categories": [
            {
                "category": CATEGORY_SYMBOLS[Category(c.category)],
                "ranking": [{"rank": r.rank, "branch": r.name, "total": str(r.total)} for r in c.ranking],
                "red": [r.name for r in c.red],
                "blue": [r.name for r in c.blue],
                "unscored": [r.name for r in c.unscored],
            }
            for c in categories
        ],
        "adjustments": [
            {"branch": r.name, "board": r.board, "points": str(r.adjustment.quantize(Decimal("0.01")))}
            for c in categories
            for r in c.red + c.blue
        ],
    }


# --- the board page ------------------------------------------------------------------------------


@dataclass
class CategorySection:
    """One category on the board page: its boards, one page of its ranking, its columns."""

    category: str
    label: str
    symbol: str
    red: list[BranchResult]
    blue: list[BranchResult]
    page: Page
    page_param: str
    columns: list[Indicator]
    ranked_count: int
    unscored: list[BranchResult] = field(default_factory=list)
    excluded: list[BranchResult] = field(default_factory=list)

    @property
    def rows(self) -> list[BranchResult]:
        return list(self.page.object_list)


def scheme_columns(quarter: Quarter) -> dict[str, list[Indicator]]:
    """category → the indicators its branches are scored on (the five standardizations first). One query."""
    standard: list[Indicator] = []
    own: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id"):
        (own[indicator.category] if indicator.category else standard).append(indicator)
    return {c: standard + own[c] for c in Category.values}


def published_columns(quarter: Quarter) -> dict[str, list[PublishedIndicator]]:
    """category → the indicators as the quarter was published with them (code, name, maximum as
    they were), in scheme order. One query."""
    standard: list[PublishedIndicator] = []
    own: dict[str, list[PublishedIndicator]] = defaultdict(list)
    for indicator in PublishedIndicator.objects.filter(quarter=quarter).order_by("category", "position", "id"):
        (own[indicator.category] if indicator.category else standard).append(indicator)
    return {c: standard + own[c] for c in Category.values}


def board_columns(quarter: Quarter) -> dict[str, list[Indicator] | list[PublishedIndicator]]:
    """The columns of a quarter's board: as published once published, else the live scheme."""
    return published_columns(quarter) if quarter.is_published else scheme_columns(quarter)


class _RowPage(Paginator):
    """A paginator over BoardEntry rows that hands out BranchResults."""

    def _get_page(self, object_list, number, paginator):
        return Page(_entry_rows(object_list), number, paginator)


def board_page(quarter: Quarter, *, search: str = "", pages: dict[str, str] | None = None) -> list[CategorySection]:
    """What the board page shows. A published board costs 3 + 2 per category queries, whatever the
    number of branches (the published columns, the boards, each category's count and page, the
    page's scores); a preview costs board_compute's five plus the columns."""
    pages = pages or {}
    columns = board_columns(quarter)
    sections = []
    if quarter.is_published:
        entries = BoardEntry.objects.filter(quarter=quarter)
        boards: dict[str, list[BranchResult]] = defaultdict(list)
        others: dict[str, list[BranchResult]] = defaultdict(list)
        # Boards and the (few) unranked rows together, in one query.
        for row in _entry_rows(
            entries.filter(~Q(board="") | ~Q(status=BoardEntry.Status.RANKED)).order_by("rank", "branch_name")
        ):
            (boards if row.status == RANKED else others)[row.category].append(row)
        for category in Category.values:
            ranking = entries.filter(category=category, status=BoardEntry.Status.RANKED)
            if search:
                ranking = ranking.filter(branch_name__icontains=search)
            paginator = _RowPage(ranking.order_by("rank", "branch_name"), RANKING_PAGE_SIZE)
            param = f"p{category}"
            page = paginator.get_page(pages.get(param))
            sections.append(
                CategorySection(
                    category=category,
                    label=Category(category).label,
                    symbol=CATEGORY_SYMBOLS[Category(category)],
                    red=[r for r in boards[category] if r.board == RED],
                    blue=[r for r in boards[category] if r.board == BLUE],
                    page=page,
                    page_param=param,
                    columns=columns[category],
                    ranked_count=paginator.count,
                    unscored=[r for r in others[category] if r.status != BoardEntry.Status.EXCLUDED],
                    excluded=[r for r in others[category] if r.status == BoardEntry.Status.EXCLUDED],
                )
            )
        scores = published_scores(quarter, [r.branch_id for section in sections for r in section.page.object_list])
        for section in sections:
            section.page.object_list = [
                replace(r, scores=scores.get(r.branch_id, {})) for r in section.page.object_list
            ]
        return sections

    for result in board_compute(quarter):
        ranking = [r for r in result.ranking if search in r.name] if search else result.ranking
        paginator = Paginator(ranking, RANKING_PAGE_SIZE)
        param = f"p{result.category}"
        sections.append(
            CategorySection(
                category=result.category,
                label=Category(result.category).label,
                symbol=CATEGORY_SYMBOLS[Category(result.category)],
                red=result.red,
                blue=result.blue,
                page=paginator.get_page(pages.get(param)),
                page_param=param,
                columns=columns[result.category],
                ranked_count=paginator.count,
                unscored=result.unscored,
                excluded=result.excluded,
            )
        )
    if sums_in_database():
        _load_page_scores(quarter, sections)
    return sections


def _load_page_scores(quarter: Quarter, sections: list[CategorySection]) -> None:
    """Give the shown rows of a preview their per-indicator scores (board_compute summed them away). One query."""
    scores = group_scores(quarter, [r.branch_id for section in sections for r in section.page.object_list])
    for section in sections:
        required = [i.pk for i in section.columns]
        section.page.object_list = [
            replace(r, scores=shown_scores(scores.get(r.branch_id, {}), required)) for r in section.page.object_list
        ]


# --- what a board does not count ------------------------------------------------------------------

DRAFT = "draft"
RETURNED = "returned"
MISSING = "missing"


@dataclass(frozen=True)
class UncountedSheet:
    """An assigned sheet the board does not count: a draft, a sheet 党建部 returned (with its
    reason) and not submitted again, or an active branch with no sheet at all (`sheet_id` None)."""

    branch_id: int
    branch_name: str
    category: str
    kind: str
    quarter_code: str
    sheet_id: int | None = None
    group_name: str = ""
    return_reason: str = ""
    excluded: bool = False

    @property
    def kind_label(self) -> str:
        return {DRAFT: _("草稿，未提交"), RETURNED: _("已退回，未重新提交"), MISSING: _("没有评分表")}[self.kind]

    @property
    def scorer(self) -> str:
        if self.kind == MISSING:
            return _("未分配检查组")
        return self.group_name or _("党建部录入")

    @property
    def url(self) -> str:
        if self.sheet_id is None:
            return reverse("scoring:quarter_groups", args=[self.quarter_code])
        return reverse("scoring:sheet", args=[self.sheet_id])

    def describe(self) -> str:
        """One line naming the sheet, for the publication refusal."""
        state = self.kind_label
        if self.return_reason:
            state = _("%(state)s：%(reason)s") % {"state": state, "reason": self.return_reason}
        return _("%(branch)s（%(scorer)s，%(state)s）") % {
            "branch": self.branch_name,
            "scorer": self.scorer,
            "state": state,
        }


def uncounted_sheets(quarter: Quarter) -> list[UncountedSheet]:
    """Every sheet of the quarter's active branches that the board does not count, and every active
    branch without a sheet, in category and name order. Excluded branches are marked (`excluded`):
    they do not hold publication up. Three queries."""
    excluded = set(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    out = [
        UncountedSheet(
            branch_id=branch_id,
            branch_name=name,
            category=category,
            kind=RETURNED if reason else DRAFT,
            quarter_code=quarter.code,
            sheet_id=sheet_id,
            group_name=group or "",
            return_reason=reason,
            excluded=branch_id in excluded,
        )
        for sheet_id, branch_id, name, category, group, reason in ScoreSheet.objects.filter(
            quarter=quarter, branch__is_active=True
        )
        .exclude(status=ScoreSheet.Status.SUBMITTED)
        .values_list("pk", "branch_id", "branch__name", "branch__category", "group__name", "return_reason")
        .iterator(chunk_size=5000)
    ]
    out += [
        UncountedSheet(
            branch_id=branch_id,
            branch_name=name,
            category=category,
            kind=MISSING,
            quarter_code=quarter.code,
            excluded=branch_id in excluded,
        )
        for branch_id, name, category in Branch.objects.filter(is_active=True)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter).values("branch_id"))
        .values_list("id", "name", "category")
        .iterator(chunk_size=5000)
    ]
    out.sort(key=lambda u: (u.category, u.branch_name, u.group_name, u.sheet_id or 0))
    return out


def branch_has_uncounted_sheet(quarter: Quarter, branch: Branch) -> bool:
    """Whether the board leaves some of the branch's work out: a sheet not submitted, or no sheet."""
    sheets = ScoreSheet.objects.filter(quarter=quarter, branch=branch)
    return not sheets.exists() or sheets.exclude(status=ScoreSheet.Status.SUBMITTED).exists()


# --- home page ----------------------------------------------------------------------------------


def home_cards(user) -> list[HomeCard]:
    from boards.history import board_names_by_quarter, latest_published

    cards: list[HomeCard] = []
    latest = latest_published()
    if latest is not None:
        names = board_names_by_quarter([latest.pk])[latest.pk]
        lines = [
            _("红榜：%(names)s") % {"names": "、".join(e.branch_name for e in names[RED]) or "—"},
            _("蓝榜：%(names)s") % {"names": "、".join(e.branch_name for e in names[BLUE]) or "—"},
        ]
        links = [(_("查看红蓝榜"), reverse("boards:board", args=[latest.code]))]
        own = user.branch_id and BoardEntry.objects.filter(quarter=latest, branch_id=user.branch_id).first()
        if own and own.status == RANKED:
            lines.append(
                _("本组织：%(category)s第 %(rank)s 名，总分 %(total)s")
                % {"category": Category(own.category).label, "rank": own.rank, "total": own.total}
            )
            links.append((_("本组织考评结果"), reverse("boards:branch", args=[user.branch_id])))
        cards.append(
            HomeCard(
                title=_("%(label)s红蓝榜") % {"label": latest.label},
                lines=lines,
                links=links,
                tone="danger",
            )
        )
    if roles.can_read_everything(user):
        pending = (
            Quarter.objects.filter(status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED])
            .order_by("-year", "-number")
            .first()
        )
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

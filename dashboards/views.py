"""Points dashboards (党支部积分看板) and the leadership overview: thin views."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from branches import roles
from branches.models import Branch, Category
from branches.units import home_unit, within_reach
from dashboards import selectors as dashboard
from members.selectors import published_member_ranking
from ratings import selectors as star_selectors
from ratings.rules import WINDOW
from scoring.models import Quarter

CATEGORY_COLOURS = {"1": "#c8161d", "2": "#1f5fae", "3": "#2e8b57"}


# --- parsing ---------------------------------------------------------------------------------------


def _filters(request) -> tuple[str, int | None, str]:
    """The table's filters: category, a unit by id (links) and by a part of its name (the form)."""
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    unit = request.GET.get("unit", "")
    return category, int(unit) if unit.isdigit() else None, request.GET.get("unit_q", "").strip()[:100]


def _branch(request) -> Branch | None:
    """The branch whose trend is drawn: the one asked for, else the user's own."""
    raw = request.GET.get("branch", "")
    if raw.isdigit() and raw != "0":
        branch = get_object_or_404(Branch.objects.select_related("unit"), pk=int(raw))
        if not within_reach(request.user, branch.unit):  # another unit's branch: as if absent
            raise Http404
        return branch
    if raw == "" and request.user.branch_id:
        return Branch.objects.select_related("unit").filter(pk=request.user.branch_id, is_active=True).first()
    return None


def _chosen_branch(request, quarters, category: str, unit_id: int | None, unit_name: str):
    """The branch whose trend is drawn, and the matches of a name searched for: a search finding
    exactly one branch shows it; several (or none) are listed to choose from (no script needed)."""
    text = request.GET.get("branch_q", "").strip()[:100]
    if not text:
        return _branch(request), None, ""
    matches = dashboard.branch_search(quarters, text, category=category, unit_id=unit_id, unit_name=unit_name)
    if len(matches) == 1:
        return Branch.objects.select_related("unit").filter(pk=matches[0].pk).first(), None, text
    return None, matches, text


def _overview_quarter(request) -> Quarter:
    if not roles.can_read_everything(request.user):
        raise PermissionDenied
    code = request.GET.get("quarter")
    quarters = Quarter.objects.published().filter(unit=home_unit(request.user))
    quarter = quarters.filter(code=code).first() if code else quarters.first()
    if quarter is None:
        raise Http404
    return quarter


# --- chart data (numbers as strings; the JS draws them) --------------------------------------------


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _means_chart(quarters, means) -> dict:
    return {
        "type": "line",
        "labels": [q.code for q in quarters],
        "datasets": [
            {"label": str(Category(c).label), "data": [_num(v) for v in means[c]], "colour": CATEGORY_COLOURS[c]}
            for c in Category.values
        ],
        "yTitle": _("平均总分"),
    }


def _trend_charts(trend) -> dict:
    labels = [p.quarter.code for p in trend.points]
    category = str(Category(trend.branch.category).label)
    return {
        "trend": {
            "type": "line",
            "labels": labels,
            "datasets": [
                {"label": trend.branch.name, "data": [_num(p.total) for p in trend.points], "colour": "#c8161d"},
                {
                    "label": _("%(category)s平均") % {"category": category},
                    "data": [_num(p.category_mean) for p in trend.points],
                    "colour": "#6c757d",
                    "dash": True,
                },
            ],
            "yTitle": _("总分"),
        },
        "ranks": {
            "type": "line",
            "labels": labels,
            "datasets": [
                {
                    "label": _("%(category)s名次") % {"category": category},
                    "data": [p.rank for p in trend.points],
                    "colour": "#1f5fae",
                }
            ],
            "yTitle": _("名次（越靠上越好）"),
            "reverse": True,
            "integer": True,
            "max": max((p.ranked_count for p in trend.points), default=None),
        },
        "losses": {
            "type": "bar",
            "horizontal": True,
            "labels": [f"{row.code} {row.name}" for row in trend.losses],
            "datasets": [
                {"label": _("累计失分"), "data": [_num(row.lost) for row in trend.losses], "colour": "#1f5fae"}
            ],
            "yTitle": _("失分"),
        },
    }


def _overview_charts(view) -> dict:
    return {
        "distribution": {
            "type": "bar",
            "labels": view.bins,
            "datasets": [
                {"label": d.label, "data": d.counts, "colour": CATEGORY_COLOURS[d.category]} for d in view.distributions
            ],
            "yTitle": _("党组织数"),
            "integer": True,
        },
        "losses": {
            "type": "bar",
            "horizontal": True,
            "labels": [f"{row.code} {row.name}" for row in view.losses],
            "datasets": [
                {"label": _("累计失分"), "data": [_num(row.lost) for row in view.losses], "colour": "#1f5fae"}
            ],
            "yTitle": _("失分"),
        },
    }


# --- pages ----------------------------------------------------------------------------------------


def _dashboard_context(request) -> dict:
    category, unit_id, unit_name = _filters(request)
    home = home_unit(request.user)
    quarters = dashboard.published_quarters(unit=home)
    branch, matches, searched = _chosen_branch(request, quarters, category, unit_id, unit_name)
    means = dashboard.category_means(quarters)
    table = dashboard.branch_table(
        quarters, category=category, unit_id=unit_id, unit_name=unit_name, page=request.GET.get("page")
    )
    trend = dashboard.branch_trend(branch, quarters, means) if branch and quarters else None
    rated_quarter, star_counts = dashboard.star_levels_counted(home)
    filters = {k: v for k, v in (("category", category), ("unit", unit_id or ""), ("unit_q", unit_name)) if v}
    return {
        "quarters": quarters,
        "means": [(str(Category(c).label), means[c]) for c in Category.values],
        "means_raw": means,
        "page": table,
        "category": category,
        "unit_id": unit_id,
        "categories": Category.choices,
        "unit_name": unit_name,
        "branch": branch,
        "shown_branch": trend.branch if trend else branch,
        "matches": matches,
        "searched": searched,
        "filter_query": urlencode(filters),
        "branch_param": str(branch.pk) if branch else ("0" if request.GET.get("branch") == "0" else ""),
        "export_quarter": quarters[-1] if quarters else None,
        "trend": trend,
        "charts": {"means": _means_chart(quarters, means), **(_trend_charts(trend) if trend else {})},
        "yearly_ratings": star_selectors.yearly_ratings(branch.pk) if branch else [],
        "member_ranking": published_member_ranking(branch) if branch else None,
        "can_see_member_points": bool(branch)
        and (roles.can_read_everything(request.user) or branch.secretary_id == request.user.pk),
        "rated_quarter": rated_quarter,
        "star_counts": star_counts,
        "window": WINDOW,
    }


@require_GET
@login_required
def dashboard_page(request):
    """党支部积分看板: every branch's total and rank per published quarter, with its stars; a chosen
    branch's line against its category's mean, its rank and where it loses points. Published
    results are public within the company, so every logged-in user may read it."""
    return render(request, "dashboards/dashboard.html", _dashboard_context(request))


@require_GET
@login_required
def branch_lookup(request):
    """The search box's suggestions: at most a short list of branches whose name as published
    contains ?q= (within ?category= and ?unit=), as JSON. The page works without it."""
    category, unit_id, unit_name = _filters(request)
    matches = dashboard.branch_search(
        dashboard.published_quarters(unit=home_unit(request.user)),
        request.GET.get("q", "")[:100],
        category=category,
        unit_id=unit_id,
        unit_name=unit_name,
    )
    response = JsonResponse(
        {"results": [{"id": m.pk, "name": m.name, "category": m.category_label, "unit": m.unit_name} for m in matches]}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def overview_page(request):
    """The leadership overview of a published quarter (党委领导 and 党建部)."""
    quarter = _overview_quarter(request)
    view = dashboard.overview(quarter)
    return render(
        request,
        "dashboards/overview.html",
        {
            "view": view,
            "quarter": quarter,
            "quarters": Quarter.objects.published().filter(unit=home_unit(request.user)),
            "charts": _overview_charts(view),
        },
    )

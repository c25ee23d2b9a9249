"""The roll-up pages: thin views — access (rollup.access), one selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from branches.models import Unit
from rollup import access, selectors
from rollup.links import board_url, rollup_url
from rollup.selectors.page import RollupPage, rollup_page

PAGE_SIZE = 50  # units per page of the roll-up table
SCREEN_CARDS = 8  # units per screenful of the big screen (4 × 2 at 1920 × 1080)
SCREEN_SECONDS = 30  # each screenful shows this long, then the next (the last returns to the first)

FILTERS = {
    "all": _("全部"),
    "published": _("已发布"),
    "unpublished": _("未发布"),
    "attention": _("连续蓝榜或整改逾期"),
}


def _rollup_or_404(unit, code: str, **options) -> RollupPage:
    try:
        return rollup_page(unit, code, **options)
    except selectors.RollupNotFound as exc:
        raise Http404(str(exc)) from exc


def _decorate(rows, code: str, top) -> None:
    for row in rows:
        row.level = row.depth - top.depth
        row.board_url = board_url(row.unit_id, code) if row.published else ""
        row.rollup_url = rollup_url(row.unit_id, code) if row.has_children else ""


@require_GET
@login_required
def index(request):
    """The user's own unit's roll-up, newest published code; or the unit and code the form chose."""
    chosen = request.GET.get("unit", "")
    unit = access.unit_for_rollup(request.user, int(chosen) if chosen.isdigit() else None)
    code = request.GET.get("code", "")
    if code:
        return redirect(rollup_url(unit.pk, code))
    return unit_latest(request, unit.pk)


@require_GET
@login_required
def unit_latest(request, unit: int):
    top = access.unit_for_rollup(request.user, unit)
    code = selectors.latest_published_code(top)
    if code is None:
        return render(request, "rollup/empty.html", {"unit": top})
    return redirect(rollup_url(top.pk, code))


@require_GET
@login_required
def page(request, unit: int, code: str):
    """The roll-up of one unit for one quarter code: the subtree's totals and distribution, a page
    of its units (the unit itself, the next level, then below; each with a link down), the trend."""
    top = access.unit_for_rollup(request.user, unit)
    shown = request.GET.get("state", "all")
    shown = shown if shown in FILTERS else "all"
    search = request.GET.get("q", "").strip()[:50]
    rollup = _rollup_or_404(top, code, state=shown, search=search, number=request.GET.get("page"), per_page=PAGE_SIZE)
    current = rollup.page
    _decorate(current.object_list, code, top)
    home = access.home_unit(request.user)
    ancestors = [u for u in Unit.objects.get_ancestors(top) if access.is_within(u, home)] if top.pk != home.pk else []
    return render(
        request,
        "rollup/page.html",
        {
            "top": top,
            "rollup": rollup,
            "code": code,
            "codes": selectors.codes_in(top),
            "page": current,
            "state": shown,
            "search": search,
            "ancestors": ancestors,
            "trend": selectors.trend_for(top),
            "filters": FILTERS.items(),
        },
    )


def _shown(names: list[str], lines: int = 3) -> tuple[list[str], bool]:
    if len(names) <= lines:
        return names, False
    return names[: lines - 1], True


@require_GET
@login_required
def screen(request, unit: int, code: str):
    """大屏: the roll-up on the meeting-room screen — no scrolling at 1920 × 1080, large type, a
    screenful of units at a time, the next one after SCREEN_SECONDS (a meta refresh, no script)."""
    top = access.unit_for_rollup(request.user, unit)
    rollup = _rollup_or_404(top, code, number=request.GET.get("page"), per_page=SCREEN_CARDS)
    current = rollup.page
    for row in current.object_list:  # at most three lines per board on a card: two names and "等共 N 个"
        row.red_shown, row.red_more = _shown(row.red)
        # Branches blue for the second quarter running first: the screen must not hide them.
        row.blue_shown, row.blue_more = _shown(sorted(row.blue, key=lambda name: name not in row.repeat_blue))
    following = current.next_page_number() if current.has_next() else 1
    return render(
        request,
        "rollup/screen.html",
        {
            "top": top,
            "rollup": rollup,
            "code": code,
            "page": current,
            "next_url": f"{request.path}?page={following}",
            "seconds": SCREEN_SECONDS,
            "now": timezone.localtime(),
        },
    )

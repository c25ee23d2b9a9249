"""Board pages: thin views — parse, check access (boards.access), call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baiyin_eval.forms import add_service_errors
from baiyin_eval.health import queue_available
from boards import access, selectors, services
from boards.announcement import announcement_text
from boards.followups import queue_down_message
from boards.forms import AdjustmentTableForm, ExclusionForm
from boards.models import Exclusion
from boards.selectors import branch as branch_selectors
from boards.selectors import history as history_selectors
from branches import roles
from branches.models import Branch, Category
from branches.units import home_unit

QUARTERS_PAGE_SIZE = 20
UNCOUNTED_SHOWN = 500  # sheets listed on the preview; the count says how many more there are


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_GET
@login_required
def quarter_list(request):
    """All published quarters; 党建部 and leadership also see the ones not yet published."""
    paginator = Paginator(history_selectors.quarters_for(request.user), QUARTERS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    names = history_selectors.board_names_by_quarter([q.pk for q in page.object_list])
    rows = [(q, names.get(q.pk)) for q in page.object_list]
    several_units = len({q.unit_id for q in page.object_list}) > 1  # then each link names its unit
    return render(request, "boards/quarter_list.html", {"page": page, "rows": rows, "several_units": several_units})


def unit_name(quarter) -> str:
    """The unit a quarter's pages name: as it was named at publication (the record does not change
    when the unit is renamed later), else as it is named today. No query."""
    return (quarter.is_published and quarter.published_unit_name) or quarter.unit.name


def unit_named(quarter) -> bool:
    """Whether a quarter's pages name its unit: always, except in a single-company installation
    (whose one evaluating unit is the root named PORTAL_COMPANY_NAME). No query."""
    from django.conf import settings

    return not (quarter.unit.depth == 1 and unit_name(quarter) == settings.COMPANY_NAME)


@require_GET
@login_required
def board(request, code: str):
    """The red/blue board of a quarter: boards side by side, then each category's ranking."""
    quarter = access.quarter_for_board(request.user, code)
    search = request.GET.get("q", "").strip()[:50]
    sections = selectors.board_page(quarter, search=search, pages=request.GET)
    return render(
        request,
        "boards/board.html",
        {
            "quarter": quarter,
            "sections": sections,
            "search": search,
            "can_publish": roles.is_dept(request.user),
            "unit_named": unit_named(quarter),
            "unit_name": unit_name(quarter),
        },
    )


@require_GET
@login_required
def announcement(request, code: str):
    """The 通报, ready to read out at the quarterly meeting."""
    quarter = access.quarter_for_board(request.user, code)
    signed_on = timezone.localtime(quarter.published_at) if quarter.published_at else timezone.localtime()
    text = announcement_text(
        quarter_label=quarter.label,
        categories=selectors.board_summary(quarter),
        company=selectors.announcement_company(quarter),  # frozen at publication
        signed_on=_("%(y)s年%(m)s月%(d)s日") % {"y": signed_on.year, "m": signed_on.month, "d": signed_on.day},
    )
    return render(request, "boards/announcement.html", {"quarter": quarter, "paragraphs": text.split("\n")})


@require_GET
@login_required
def preview(request, code: str):
    """党建部's publication desk (leadership reads it): unscored branches, exclusions, publish."""
    quarter = access.quarter_for_board(request.user, code)
    if not roles.can_read_everything(request.user):
        raise Http404
    return _preview_page(request, quarter)


def _exclusion_choices(unscored, uncounted) -> list[tuple[int, str]]:
    """The branches 党建部 may exclude: unscored ones, and those with a sheet the board does not count."""
    choices = {r.branch_id: r.name for r in unscored}
    for u in uncounted:
        if not u.excluded:
            choices.setdefault(u.branch_id, u.branch_name)
    return list(choices.items())


def _preview_page(request, quarter, *, form: ExclusionForm | None = None, status: int = 200):
    categories = selectors.board_summary(quarter)
    unscored = [r for c in categories for r in c.unscored]
    exclusions = list(Exclusion.objects.filter(quarter=quarter).select_related("branch", "created_by"))
    uncounted = [] if quarter.is_published else selectors.uncounted_sheets(quarter)
    choices = _exclusion_choices(unscored, uncounted)
    if form is None:
        form = ExclusionForm(choices=choices)
    return render(
        request,
        "boards/preview.html",
        {
            "quarter": quarter,
            "categories": categories,
            "unscored": unscored,
            "exclusions": exclusions,
            "exclusion_form": form,
            "can_exclude": bool(choices),
            "uncounted": uncounted[:UNCOUNTED_SHOWN],
            "uncounted_total": len(uncounted),
            "uncounted_blocking": sum(1 for u in uncounted if not u.excluded),
            "can_act": roles.is_dept(request.user) and not quarter.is_published,
        },
        status=status,
    )


@require_POST
@login_required
def publish(request, code: str):
    quarter = access.quarter_for_publication(request.user, code)
    if not request.POST.get("confirm"):
        messages.error(request, _("请先勾选确认：发布后评分即冻结，且不能撤销。"))
        return redirect("boards:preview", code=quarter.code)
    if not queue_available():  # the notices and checklists that follow publication could not be queued
        messages.error(request, queue_down_message())
        return redirect("boards:preview", code=quarter.code)
    try:
        quarter = services.quarter_publish(quarter=quarter, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("boards:preview", code=quarter.code)
    messages.success(request, _("%(label)s红蓝榜已发布，评分已冻结。") % {"label": quarter.label})
    return redirect("boards:board", code=quarter.code)


@require_POST
@login_required
def exclusion_create(request, code: str):
    """Exclude an unscored branch with a written reason; errors are shown next to the fields."""
    quarter = access.quarter_for_publication(request.user, code)
    unscored = [r for c in selectors.board_compute(quarter) for r in c.unscored]
    form = ExclusionForm(request.POST, choices=_exclusion_choices(unscored, selectors.uncounted_sheets(quarter)))
    if form.is_valid():
        branch = Branch.objects.get(pk=form.cleaned_data["branch"])
        try:
            services.exclusion_create(
                quarter=quarter, branch=branch, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                messages.error(request, _error_text(exc))
                return redirect("boards:preview", code=quarter.code)
        else:
            messages.success(request, _("%(name)s 不参加本季度排名，原因将随红蓝榜公布。") % {"name": branch.name})
            return redirect("boards:preview", code=quarter.code)
    return _preview_page(request, quarter, form=form, status=400)


@require_POST
@login_required
def exclusion_delete(request, code: str, pk: int):
    exclusion = access.exclusion_for_dept(request.user, code, pk)
    try:
        services.exclusion_delete(exclusion=exclusion, user=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已撤销：%(name)s 重新列为未完成评分。") % {"name": exclusion.branch.name})
    return redirect("boards:preview", code=code)


@require_GET
@login_required
def rules(request):
    """How the board is computed, in Chinese, with the current adjustment table."""
    return render(
        request,
        "boards/rules.html",
        {"rules": _rule_rows(home_unit(request.user)), "can_edit": roles.is_dept(request.user)},
    )


def _rule_rows(unit):
    table = selectors.adjustment_table(unit)
    return [
        (category.label, table.get((category.value, "red")), table.get((category.value, "blue")))
        for category in Category
    ]


@require_GET
@login_required
def adjustments(request):
    access.require_dept(request.user)
    form = AdjustmentTableForm(table=selectors.adjustment_table(home_unit(request.user)))
    return render(
        request, "boards/adjustments.html", {"form": form, "rules": selectors.adjustment_rules(home_unit(request.user))}
    )


@require_POST
@login_required
def adjustments_save(request):
    access.require_dept(request.user)
    form = AdjustmentTableForm(request.POST, table=selectors.adjustment_table(home_unit(request.user)))
    if form.is_valid():
        try:
            changed = services.adjustment_table_update(
                points=form.points(), user=request.user, unit=home_unit(request.user)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("加扣分标准已保存（修改 %(n)s 项）。已发布的红蓝榜不受影响。") % {"n": changed}
                if changed
                else _("加扣分标准没有变化。"),
            )
            return redirect("boards:adjustments")
    return render(
        request,
        "boards/adjustments.html",
        {"form": form, "rules": selectors.adjustment_rules(home_unit(request.user))},
        status=400,
    )


@require_GET
@login_required
def history(request):
    """Each branch's rank and total over the published quarters, and its times on either board."""
    search = request.GET.get("q", "").strip()[:50]
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    quarters, page = history_selectors.history_page(
        search=search, category=category, page=request.GET.get("page"), unit=home_unit(request.user)
    )
    return render(
        request,
        "boards/history.html",
        {
            "quarters": quarters,
            "page": page,
            "search": search,
            "category": category,
            "categories": Category.choices,
        },
    )


def _history_chart(history) -> dict | None:
    """The branch's ranked quarters for the chart; none to draw with fewer than two."""
    ranked = [e for e in history if e.rank]
    if len(ranked) < 2:
        return None
    return {
        "labels": [e.quarter.code for e in ranked],
        "totals": [str(e.total) for e in ranked],
        "ranks": [e.rank for e in ranked],
        "totalLabel": _("总分"),
        "rankLabel": _("名次"),
    }


@require_GET
@login_required
def branch(request, pk: int):
    """A branch's own page: total, rank, each indicator against the category mean, problems, history."""
    branch = access.branch_for_board(request.user, pk)
    quarter = access.quarter_for_branch(request.user, request.GET.get("quarter"), branch)
    view = branch_selectors.branch_result(quarter, branch) if quarter else None
    show_problems = branch_selectors.can_see_problems(request.user, branch)
    problems = branch_selectors.branch_problems(quarter, branch) if quarter and show_problems else []
    history = history_selectors.branch_history(branch)
    return render(
        request,
        "boards/branch.html",
        {
            "branch": branch,
            "shown": view.shown if view and view.shown else branch,  # as published, for a published quarter
            "quarter": quarter,
            "view": view,
            "show_problems": show_problems,
            "problems": problems,
            "history": history,
            "quarters": history_selectors.quarters_for(request.user),
            "chart": _history_chart(history),
            "red_count": sum(1 for e in history if e.board == "red"),
            "blue_count": sum(1 for e in history if e.board == "blue"),
        },
    )

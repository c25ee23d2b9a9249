"""党建部's pages: quarter actions, groups and assignment, returns, contribution points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.units import runs
from scoring import access, pages, selectors, services
from scoring.forms import (
    ContributionForm,
    GroupForm,
    MoveForm,
    ReturnForm,
)
from scoring.models import InspectionGroup, Quarter
from scoring.views.common import apply_errors, form_status, report

# --- 党建部 ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def sheet_return(request, pk: int):
    access.require_dept(request.user)
    sheet = access.sheet_for_reader(request.user, pk)
    if not runs(request.user, sheet.quarter.unit):  # a unit above reads, never returns
        raise Http404
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回原因。"))
        return redirect("scoring:sheet", sheet.pk)
    try:
        services.sheet_return(sheet=sheet, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, _("已将“%(branch)s”的评分表退回%(group)s。") % {"branch": sheet.branch, "group": sheet.group.name}
        )
    return redirect("scoring:sheet", sheet.pk)


@login_required
@require_GET
def quarter_overview(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    return render(
        request,
        "scoring/quarter.html",
        {
            "quarter": quarter,
            "quarters": selectors.quarters_all(request.user),
            "progress": selectors.quarter_progress(quarter),
            "groups": selectors.quarter_groups_progress(quarter),
            "can_open": quarter.can_transition_to(Quarter.Status.SCORING),
            "can_close": quarter.can_transition_to(Quarter.Status.CLOSED),
            # publication's follow-ups (boards)
            **pages.page_context(pages.QUARTER, quarter),
        },
    )


@login_required
@require_POST
def quarter_transition(request, code: str):
    """开始评分 / 截止评分. Publishing belongs to the board (boards app)."""
    quarter = access.quarter_for_dept(request.user, code)
    to = request.POST.get("to")
    if to not in (Quarter.Status.SCORING, Quarter.Status.CLOSED):
        return HttpResponseBadRequest(_("不支持的操作。"))
    report(
        request,
        lambda: services.quarter_transition(quarter=quarter, to=to, actor=request.user),
        lambda moved: (
            _("季度 %(code)s 已变为“%(status)s”。") % {"code": moved.code, "status": moved.get_status_display()}
        ),
    )
    return redirect("scoring:quarter_overview", quarter.code)


@login_required
@require_GET
def quarter_groups(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    groups = selectors.quarter_groups(quarter)
    return render(
        request,
        "scoring/quarter_groups.html",
        {
            "quarter": quarter,
            "quarters": selectors.quarters_all(request.user),
            "groups": groups,
            "unassigned": selectors.unassigned_branches(quarter),
            "editable": quarter.status in (Quarter.Status.PREPARING, Quarter.Status.SCORING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request, code: str):
    return _group_form(request, access.quarter_for_dept(request.user, code), None)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    group = access.group_for_dept(request.user, pk)
    return _group_form(request, group.quarter, group)


def _group_form(request, quarter: Quarter, group: InspectionGroup | None):
    """Create a group of `quarter` (`group` None) or edit one."""
    form = GroupForm(request.POST or None, initial=GroupForm.initial_for(group) if group else None, unit=quarter.unit)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                quarter=quarter,
                group=group,
                name=form.cleaned_data["name"],
                leader=form.cleaned_data["leader"],
                members=list(form.cleaned_data["members"]),
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            message = _("已建立%(group)s。") if group is None else _("已保存%(group)s。")
            messages.success(request, message % {"group": saved.name})
            return redirect("scoring:quarter_groups", quarter.code)
    return render(request, "scoring/group_form.html", {"form": form, "quarter": quarter, "group": group})


@login_required
@require_POST
def group_delete(request, pk: int):
    group = access.group_for_dept(request.user, pk)
    report(
        request,
        lambda: services.group_delete(group=group, actor=request.user),
        lambda _result: _("已删除%(group)s。") % {"group": group.name},
    )
    return redirect("scoring:quarter_groups", group.quarter.code)


@login_required
@require_POST
def assignment_auto(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    try:
        outcome = services.assignment_auto(quarter=quarter, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if outcome.counts:
            detail = "，".join(
                (_("%(g)s %(n)s 个（主要检查%(category)s）") if outcome.notes else _("%(g)s %(n)s 个（%(category)s）"))
                % {"g": g.name, "n": n, "category": outcome.home_label(g)}
                if outcome.home_label(g)
                else _("%(g)s %(n)s 个") % {"g": g.name, "n": n}
                for g, n in outcome.counts.items()
            )
            messages.success(request, _("已自动分配：%(detail)s。") % {"detail": detail})
            if outcome.notes:
                messages.warning(request, _("未能做到每组只检查一个类别：%(why)s") % {"why": "".join(outcome.notes)})
            else:
                messages.info(request, _("每个检查组只检查一个类别，同类别的党组织由同一标准评分。"))
        else:
            messages.info(request, _("所有参加考评的党组织都已分配，无需再分配。"))
    return redirect("scoring:quarter_groups", quarter.code)


@login_required
@require_POST
def assignment_move(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    form = MoveForm(request.POST, quarter=quarter)
    if not form.is_valid():
        messages.error(request, _("请选择党组织和检查组。"))
        return redirect("scoring:quarter_groups", quarter.code)
    branch, group = form.cleaned_data["branch"], form.cleaned_data["group"]
    if group is None:
        try:
            services.assignment_remove(quarter=quarter, branch=branch, actor=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return redirect("scoring:quarter_groups", quarter.code)
        messages.success(request, _("“%(branch)s”已改回未分配。") % {"branch": branch})
        return redirect(reverse("scoring:quarter_groups", args=[quarter.code]) + f"#branch-{branch.pk}")
    try:
        services.assignment_move(quarter=quarter, branch=branch, group=group, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))  # shown at the top of the page
        return redirect("scoring:quarter_groups", quarter.code)
    messages.success(request, _("“%(branch)s”已分配给%(group)s。") % {"branch": branch, "group": group.name})
    return redirect(reverse("scoring:quarter_groups", args=[quarter.code]) + f"#branch-{branch.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def contributions(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    form = ContributionForm(request.POST or None, cap=quarter.contribution_cap, quarter=quarter)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.contribution_add(quarter=quarter, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("已为“%(branch)s”加 %(points)s 分。") % {"branch": point.branch, "points": point.points}
            )
            return redirect("scoring:contributions", quarter.code)
    items = selectors.quarter_contributions(quarter)
    return render(
        request,
        "scoring/contributions.html",
        {
            "quarter": quarter,
            "quarters": selectors.quarters_all(request.user),
            "form": form,
            "items": items,
            "totals": selectors.contribution_totals(items),
            "editable": not quarter.is_published,
        },
        status=form_status(form),
    )


@login_required
@require_POST
def contribution_delete(request, pk: int):
    point = access.contribution_for_dept(request.user, pk)
    report(
        request,
        lambda: services.contribution_remove(point=point, actor=request.user),
        lambda _result: _("已删除“%(branch)s”的一项贡献度积分。") % {"branch": point.branch},
    )
    return redirect("scoring:contributions", point.quarter.code)

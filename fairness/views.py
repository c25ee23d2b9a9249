"""The severity report page and the calibration branches: thin views (parse, access, service, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from boards import access
from branches import roles
from branches.models import Branch
from fairness import report as rules
from fairness.forms import CalibrationForm
from fairness.selectors import calibration_choices, calibration_rows, severity_for
from fairness.services import severity_run_start
from fairness.summary import severity_headline
from scoring.models import CalibrationBranch
from scoring.services import calibration_mark, calibration_unmark


@require_GET
@login_required
def severity(request, code: str):
    """检查组评分宽严度: read by 党建部 and leadership before (and after) publication."""
    quarter = access.quarter_for_board(request.user, code)
    if not roles.can_read_everything(request.user):
        raise Http404
    return _page(request, quarter)


def _page(request, quarter, *, form: CalibrationForm | None = None, status: int = 200):
    """The stored report (or the progress of its computation): nothing here grows with the number
    of branches but the report itself, whose size is set by the groups and indicators."""
    view = severity_for(quarter)
    can_act = roles.is_dept(request.user) and not quarter.is_published
    search = request.GET.get("q", "").strip()[:50]
    complete = True
    if form is None and can_act:
        choices, complete = calibration_choices(quarter, search=search)
        form = CalibrationForm(choices=choices)
    report = view.report
    table = []
    if report is not None:
        figure = {(f.group, f.indicator): f for f in report.figures}
        table = [
            (group, [figure.get((group, code)) for code in [*report.indicators, rules.OVERALL]])
            for group in report.groups
            if any((group, code) in figure for code in [*report.indicators, rules.OVERALL])
        ]
    return render(
        request,
        "fairness/severity.html",
        {
            "quarter": quarter,
            "view": view,
            "report": report,
            "table": table,
            "names": view.indicator_names,
            "calibrations": calibration_rows(quarter),
            "form": form,
            "search": search,
            "choices_complete": complete,
            "can_act": can_act,
            "rules": rules,
            "headline": severity_headline(report, view.indicator_names) if report is not None else None,
        },
        status=status,
    )


@require_POST
@login_required
def severity_run(request, code: str):
    """党建部 starts a computation of the report in the worker; the page shows its progress."""
    quarter = access.quarter_for_publication(request.user, code)
    try:
        severity_run_start(quarter=quarter, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已发起宽严度分析，后台计算完成后本页显示结果。"))
    return redirect("fairness:severity", code=quarter.code)


@require_POST
@login_required
def calibration_add(request, code: str):
    quarter = access.quarter_for_publication(request.user, code)
    try:
        posted = int(request.POST.get("branch", ""))
    except ValueError:
        posted = 0  # no branch has it: the form says "choose one from the list"
    form = CalibrationForm(request.POST, choices=calibration_choices(quarter, pk=posted)[0])
    if form.is_valid():
        branch = get_object_or_404(Branch, pk=form.cleaned_data["branch"])
        try:
            calibration_mark(quarter=quarter, branch=branch, actor=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for errors in exc.message_dict.values():
                    for error in errors:
                        form.add_error("branch", error)
            else:
                form.add_error("branch", " ".join(exc.messages))
        else:
            messages.success(
                request, _("已将“%(branch)s”设为校准党组织，各检查组均已分配其评分表。") % {"branch": branch.name}
            )
            return redirect("fairness:severity", code=quarter.code)
    return _page(request, quarter, form=form, status=400)


@require_POST
@login_required
def calibration_remove(request, code: str, pk: int):
    quarter = access.quarter_for_publication(request.user, code)
    calibration = get_object_or_404(CalibrationBranch.objects.select_related("branch"), quarter=quarter, pk=pk)
    try:
        calibration_unmark(calibration=calibration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已取消“%(branch)s”的校准。") % {"branch": calibration.branch.name})
    return redirect("fairness:severity", code=quarter.code)

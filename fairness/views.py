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
    view = severity_for(quarter)
    can_act = roles.is_dept(request.user) and not quarter.is_published
    if form is None and can_act:
        form = CalibrationForm(choices=calibration_choices(quarter))
    report = view.report
    table = [
        (group, [report.figure(group, code) for code in [*report.indicators, rules.OVERALL]])
        for group in report.groups
        if any(f.group == group for f in report.figures)
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
            "can_act": can_act,
            "rules": rules,
            "headline": severity_headline(report, view.indicator_names),
        },
        status=status,
    )


@require_POST
@login_required
def calibration_add(request, code: str):
    quarter = access.quarter_for_publication(request.user, code)
    form = CalibrationForm(request.POST, choices=calibration_choices(quarter))
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

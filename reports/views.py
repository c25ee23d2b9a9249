"""Report downloads, export jobs with progress, the score template and the two upload pages."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from baiyin_eval.health import queue_available
from baiyin_eval.xlsx import XLSX_CONTENT_TYPE, attachment_disposition, xlsx_response
from branches import roles
from branches.units import home_unit, unit_choice
from dashboards.exports import export_params
from reports import access
from reports.exports import branch_list_workbook, score_template, template_file_name, unit_list_workbook
from reports.forms import BranchImportForm, ExportForm, ScoreImportForm, UnitImportForm, UserImportForm
from reports.imports import ImportRejected, branches_import, score_import_summary, scores_import, users_import
from reports.imports.units import units_import
from reports.models import DASHBOARD_KINDS, ExportJob, ReportKind
from reports.selectors import export_choices, published_below, recent_jobs
from reports.services import export_job_create
from scoring.models import Quarter
from scoring.selectors import quarter_current


@login_required
@require_GET
def index(request):
    access.require(access.can_use_reports(request.user))
    quarters = list(Quarter.objects.run_by(request.user).newest_first())
    code = request.GET.get("quarter")
    # The published quarters of the evaluating units below (a province's 党建部 and leadership).
    below = published_below(request.user) if access.can_export(request.user) else []
    chosen = unit_choice(request.user)
    if chosen is not None and not quarters:  # ?unit=: a unit below, its published quarters only
        of_unit = next((qs for unit, qs in below if unit.pk == chosen), [])
        quarter = next((q for q in of_unit if q.code == code), None) if code else next(iter(of_unit), None)
    else:
        quarter = next((q for q in quarters if q.code == code), None) if code else quarter_current(request.user)
    is_below = quarter is not None and not any(q.pk == quarter.pk for q in quarters)
    context = {
        "quarters": quarters,
        "quarter": quarter,
        "below": below,
        "is_below": is_below,
        "own_unit_id": getattr(home_unit(request.user), "pk", None),
        "can_export": access.can_export(request.user),
        "can_import_scores": access.can_import_scores(request.user),
        "can_import_branches": access.can_import_branches(request.user),
        "can_import_users": access.can_import_users(request.user),
        "can_import_units": access.can_import_units(request.user),
    }
    if quarter is not None:
        context["exports"] = export_choices(quarter, published_only=is_below)
        context["template_groups"] = [] if is_below else access.template_groups(request.user, quarter)
    if context["can_export"]:
        context["jobs"] = recent_jobs(request.user)
        context["queue_available"] = queue_available()
    return render(request, "reports/index.html", context)


@login_required
@require_POST
def export_create(request):
    kind = request.POST.get("kind", "")
    access.require(access.can_request_export(request.user, kind))
    if not queue_available():
        messages.error(
            request, _("报表队列暂不可用（后台任务服务无法连接），暂时不能生成报表。请稍后再试，或联系系统管理员。")
        )
        return redirect(DASHBOARD_PAGES.get(kind, "reports:index"))
    form = ExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return HttpResponseBadRequest(_("报表或季度无效。"))
    params = export_params(kind, request.POST) if kind in DASHBOARD_KINDS else {}
    job = export_job_create(
        kind=form.cleaned_data["kind"], quarter=form.cleaned_data["quarter"], user=request.user, params=params
    )
    return redirect(job)


# Where a dashboard download is asked for, to go back to.
DASHBOARD_PAGES = {ReportKind.DASHBOARD: "dashboards:dashboard", ReportKind.OVERVIEW: "dashboards:overview"}


@login_required
@require_GET
def export_detail(request, job_id: int):
    job = access.get_export_job_for_user(request.user, job_id)
    return render(request, "reports/export_detail.html", {"job": job})


def _job_state(job: ExportJob) -> dict:
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "finished": job.is_finished,
        "error": job.error,
        "download_url": reverse("reports:export_download", args=[job.pk])
        if job.status == ExportJob.Status.DONE
        else None,
    }


@login_required
@require_GET
def export_status(request, job_id: int):
    job = access.get_export_job_for_user(request.user, job_id)
    response = JsonResponse(_job_state(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_download(request, job_id: int):
    job = access.get_export_job_for_user(request.user, job_id)
    if job.status != ExportJob.Status.DONE or not job.file_exists():
        raise Http404(_("报表尚未生成。"))
    audit_record(request=request, action="export_download", target=job, detail={"文件": job.download_name})
    response = FileResponse(job.open_file(), as_attachment=True, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(job.download_name, job.download_fallback)
    return response


@login_required
@require_GET
def template_download(request, code: str):
    quarter = get_object_or_404(Quarter.objects.run_by(request.user), code=code)
    group_id = request.GET.get("group")
    if group_id is not None and not group_id.isdigit():
        raise Http404
    group = access.get_template_group_for_user(request.user, quarter, int(group_id) if group_id else None)
    buffer = io.BytesIO()
    score_template(quarter, group).save(buffer)
    fallback = f"{quarter.code}-template{f'-{group.pk}' if group else ''}.xlsx"
    return xlsx_response(buffer.getvalue(), template_file_name(quarter, group), fallback)


@login_required
@require_GET
def branch_list_download(request):
    access.require(access.can_import_branches(request.user))
    buffer = io.BytesIO()
    branch_list_workbook(access.unit_import_scope(request.user)).save(buffer)
    return xlsx_response(buffer.getvalue(), _("党组织名单.xlsx"), "branches.xlsx")


# Non-atomic: parsing an upload may take seconds and must not hold a transaction open; the write
# itself is one transaction inside the import service.
@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def import_scores(request):
    access.require(access.can_import_scores(request.user))
    form = ScoreImportForm(request.POST or None, request.FILES or None, user=request.user)
    issues = None
    if request.method == "POST" and form.is_valid():
        quarter, group = form.cleaned_data["quarter"], form.cleaned_data["group"]
        try:
            submit = form.cleaned_data["submit"]
            result = scores_import(
                quarter=quarter, group=group, source=form.cleaned_data["file"], user=request.user, submit=submit
            )
        except ImportRejected as exc:
            issues = exc.issues
        else:
            messages.success(request, score_import_summary(result, submit=submit))
            return redirect("reports:import_scores")
    return render(request, "reports/import_scores.html", {"form": form, "issues": issues})


@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def import_branches(request):
    access.require(access.can_import_branches(request.user))
    scope = access.unit_import_scope(request.user)
    form = BranchImportForm(request.POST or None, request.FILES or None)
    issues = None
    if request.method == "POST" and form.is_valid():
        try:
            result = branches_import(source=form.cleaned_data["file"], user=request.user, scope=scope)
        except ImportRejected as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                _("导入成功：新建 %(created)s 个党组织，更新 %(updated)s 个，新建单位 %(units)s 个。")
                % {"created": result.created, "updated": result.updated, "units": result.units_created},
            )
            return redirect("reports:import_branches")
    return render(request, "reports/import_branches.html", {"form": form, "issues": issues, "scope": scope})


@login_required
@require_GET
def unit_list_download(request):
    """The units the user may import (the admin: the whole tree; 党建部: its own subtree), in the
    import's own format: a template to fill in, or the current list to edit and upload again."""
    access.require(access.can_import_units(request.user))
    buffer = io.BytesIO()
    unit_list_workbook(access.unit_import_scope(request.user)).save(buffer)
    return xlsx_response(buffer.getvalue(), _("单位名单.xlsx"), "units.xlsx")


@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def import_units(request):
    """The unit tree from Excel (the import_units command's service): the admin anywhere, a unit's
    党建部 inside its own subtree only."""
    access.require(access.can_import_units(request.user))
    scope = access.unit_import_scope(request.user)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    issues = None
    if request.method == "POST" and form.is_valid():
        try:
            result = units_import(source=form.cleaned_data["file"], user=request.user, scope=scope)
        except ImportRejected as exc:
            issues = exc.issues
        else:
            messages.success(
                request,
                _(
                    "导入成功：新建 %(created)s 个单位，更新 %(updated)s 个，未变 %(unchanged)s 个；现有考评单位 %(evaluating)s 个。"
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "evaluating": result.evaluating,
                },
            )
            return redirect("reports:import_units")
    return render(
        request,
        "reports/import_units.html",
        {
            "form": form,
            "issues": issues,
            "scope": scope,
            "can_import_branches": access.can_import_branches(request.user),
        },
    )


@transaction.non_atomic_requests
@login_required
@require_http_methods(["GET", "POST"])
def import_users(request):
    """The user list: every account at once, all or nothing; the initial passwords are shown on this
    answer only (never stored in clear, never cached)."""
    access.require(access.can_import_users(request.user))
    form = UserImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "issues": None, "accounts": None, "roles": "、".join(roles.ALL_ROLES)}
    if request.method == "POST" and form.is_valid():
        try:
            result = users_import(source=form.cleaned_data["file"])
        except ImportRejected as exc:
            context["issues"] = exc.issues
        else:
            context["accounts"] = result.accounts
            context["form"] = UserImportForm()
    response = render(request, "reports/import_users.html", context)
    response["Cache-Control"] = "no-store"
    return response

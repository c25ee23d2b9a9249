"""Who may do what with spreadsheets. One helper per object type, as in every app.

Exports: 系统管理员, 党建部 and leadership. Score imports: 系统管理员 and 党建部. The branch list:
系统管理员 only. The unit tree: 系统管理员 anywhere, a unit's 党建部 within its own subtree. Score templates: those who may import, and each inspection group for its own
branches. Everyone else gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from branches import roles
from branches import units as unit_tree
from branches.models import Unit
from reports.models import DASHBOARD_KINDS, ExportJob, ReportKind
from scoring.models import InspectionGroup, Quarter


def can_export(user) -> bool:
    return roles.has_role(user, roles.ADMIN, roles.DEPT, roles.LEADER)


def can_import_scores(user) -> bool:
    return roles.has_role(user, roles.ADMIN, roles.DEPT)


def can_import_branches(user) -> bool:
    """The admin anywhere; a unit's 党建部 the branches of its own subtree (issue 17: a province's
    党建部 imports its units and branches), scoped as the unit import is (unit_import_scope)."""
    return roles.has_role(user, roles.ADMIN, roles.DEPT)


def can_import_units(user) -> bool:
    return roles.has_role(user, roles.ADMIN, roles.DEPT)


def unit_import_scope(user) -> Unit | None:
    """Where the user may import units and branches: None for the admin (anywhere), else the
    evaluating unit the 党建部 works in (its subtree). Only for those who may import them."""
    if roles.has_role(user, roles.ADMIN):
        return None
    scope = unit_tree.home_unit(user)
    require(scope is not None)
    return scope


def can_import_users(user) -> bool:
    return roles.has_role(user, roles.ADMIN)


def template_groups(user, quarter: Quarter) -> list[InspectionGroup]:
    """The groups whose template the user may download for the quarter."""
    groups = InspectionGroup.objects.filter(quarter=quarter).order_by("pk")  # 第一, 第二, 第三: creation order
    if can_import_scores(user):
        return list(groups)
    if roles.has_role(user, roles.INSPECTOR):
        return list(groups.filter(members=user))
    return []


def can_use_reports(user) -> bool:
    return can_export(user) or can_import_scores(user) or roles.has_role(user, roles.INSPECTOR)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_request_export(user, kind: str) -> bool:
    """The dashboards' downloads are for whoever reads the page (the dashboard: everyone signed
    in; the overview: 党建部 and leadership); the reports for those who may export."""
    if kind == ReportKind.DASHBOARD:
        return bool(user.is_authenticated)
    if kind == ReportKind.OVERVIEW:
        return roles.can_read_everything(user)
    return can_export(user)


def get_export_job_for_user(user, job_id: int) -> ExportJob:
    """A job is its requester's: others who may export get 404, everyone else 403. A dashboard
    download is also its requester's own, whoever they are."""
    job = ExportJob.objects.select_related("quarter").filter(pk=job_id).first()
    if job is not None and job.kind in DASHBOARD_KINDS and job.requested_by_id == user.pk:
        return job
    require(can_export(user))
    if job is None or job.requested_by_id != user.pk:
        raise Http404
    return job


def get_template_group_for_user(user, quarter: Quarter, group_id: int | None) -> InspectionGroup | None:
    """None means 党建部's template (every branch): only for those who may import."""
    if group_id is None:
        require(can_import_scores(user))
        return None
    require(can_import_scores(user) or roles.has_role(user, roles.INSPECTOR))
    group = get_object_or_404(InspectionGroup, pk=group_id, quarter=quarter)
    if group not in template_groups(user, quarter):
        raise Http404
    return group

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit import access
from audit.forms import AuditFilterForm
from audit.selectors import audit_events
from branches import roles
from branches.units import home_unit

PAGE_SIZE = 50


@login_required
@require_GET
def event_list(request):
    access.require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # 系统管理员 reads the whole trail; leadership the events of the accounts of its own subtree.
    everything = request.user.is_superuser or roles.has_role(request.user, roles.ADMIN)
    filters = {**filters, "reach": None if everything else home_unit(request.user)}
    page = Paginator(audit_events(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})

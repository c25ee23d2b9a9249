"""Look-back (回头看): scheduled on an interview, then recorded item by item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interviews import access, services
from interviews.forms import (
    LookBackRecordForm,
    LookBackScheduleForm,
)
from interviews.models import ItemStatus
from interviews.views.interview import render_interview


@require_POST
@login_required
def look_back_add(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = LookBackScheduleForm(request.POST, action=reverse("interviews:look_back_add", args=[pk]))
    if form.is_valid():
        try:
            services.look_back_schedule(interview=interview, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return render_interview(request, interview, status=400, look_back_form=form)
    messages.success(request, _("回头看已安排。"))
    return redirect(interview)


def _accepted_items(look_back):
    return list(look_back.interview.items.filter(status=ItemStatus.ACCEPTED).order_by("position", "id"))


@login_required
def look_back_detail(request, pk: int):
    look_back = access.get_look_back_for_user(request.user, pk)
    form = None
    if not look_back.is_done and access.can_dept(request.user):
        form = LookBackRecordForm(items=_accepted_items(look_back))
    return render(request, "interviews/look_back.html", _look_back_context(look_back, form))


def _look_back_context(look_back, form):
    return {
        "look_back": look_back,
        "interview": look_back.interview,
        "results": list(look_back.results.select_related("item").order_by("item__position", "item_id")),
        "form": form,
    }


@require_POST
@login_required
def look_back_record(request, pk: int):
    look_back = access.get_look_back_for_user(request.user, pk, access.DEPT)
    if look_back.is_done:
        messages.error(request, _("这次回头看的结果已经记录过了。"))
        return redirect("interviews:look_back", pk=pk)
    form = LookBackRecordForm(request.POST, items=_accepted_items(look_back))
    if form.is_valid():
        try:
            reopened = services.look_back_record(look_back=look_back, user=request.user, results=form.results())
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return render(request, "interviews/look_back.html", _look_back_context(look_back, form), status=400)
    if reopened:
        messages.warning(request, _("回头看结果已记录，%(n)s 项整改成效未保持，已重新打开。") % {"n": len(reopened)})
    else:
        messages.success(request, _("回头看结果已记录，整改成效均已保持。"))
    return redirect(look_back.interview)

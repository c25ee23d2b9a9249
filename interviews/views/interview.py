"""One interview: its page, its schedule and minutes, and items added to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interviews import access, selectors, services
from interviews.forms import (
    ItemAddForm,
    LookBackScheduleForm,
    MinutesForm,
    ScheduleForm,
)
from interviews.models import Interview, ItemStatus


def render_interview(request, interview: Interview, status: int = 200, **forms):
    is_dept = access.can_dept(request.user)
    items = selectors.interview_items(interview)
    context = {
        "interview": interview,
        "items": items,
        "look_backs": selectors.interview_look_backs(interview),
        "can_dept": is_dept,
        "today": timezone.localdate(),
        "n_accepted": sum(1 for i in items if i.status == ItemStatus.ACCEPTED),
    }
    if is_dept:
        local = timezone.localtime(interview.scheduled_at) if interview.scheduled_at else None
        context["schedule_form"] = forms.get("schedule_form") or ScheduleForm(
            interview=interview,
            initial={
                "scheduled_at": local,
                "place": interview.place,
                "interviewer": interview.interviewer_id,
                "interviewee": interview.interviewee_id,
            },
            action=reverse("interviews:schedule", args=[interview.pk]),
        )
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm(
            initial={"minutes": interview.minutes}, action=reverse("interviews:minutes", args=[interview.pk])
        )
        context["add_form"] = forms.get("add_form") or ItemAddForm(
            action=reverse("interviews:item_add", args=[interview.pk])
        )
        context["look_back_form"] = forms.get("look_back_form") or LookBackScheduleForm(
            action=reverse("interviews:look_back_add", args=[interview.pk])
        )
    return render(request, "interviews/detail.html", context, status=status)


@login_required
def interview_detail(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk)
    return render_interview(request, interview)


@require_POST
@login_required
def interview_schedule(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = ScheduleForm(request.POST, interview=interview, action=reverse("interviews:schedule", args=[pk]))
    if not form.is_valid():
        return render_interview(request, interview, status=400, schedule_form=form)
    services.interview_schedule(interview=interview, user=request.user, **form.cleaned_data)
    messages.success(request, _("约谈安排已保存，已通知被约谈人。"))
    return redirect(interview)


@require_POST
@login_required
def interview_minutes(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = MinutesForm(request.POST, action=reverse("interviews:minutes", args=[pk]))
    if form.is_valid():
        try:
            services.interview_record_minutes(interview=interview, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        return render_interview(request, interview, status=400, minutes_form=form)
    messages.success(request, _("约谈记录已保存。"))
    return redirect(interview)


@require_POST
@login_required
def item_add(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = ItemAddForm(request.POST, action=reverse("interviews:item_add", args=[pk]))
    if not form.is_valid():
        return render_interview(request, interview, status=400, add_form=form)
    services.item_add(interview=interview, user=request.user, **form.cleaned_data)
    messages.success(request, _("已新增整改事项。"))
    return redirect(interview)

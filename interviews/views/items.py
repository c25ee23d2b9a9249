"""One rectification item: the branch's answer and progress, 党建部's acceptance or return."""

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
    AnswerForm,
    EvidenceForm,
    ProgressForm,
    ReturnForm,
)
from interviews.models import ItemStatus


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def render_item(request, item, status: int = 200, **forms):
    user = request.user
    is_own = item.interview.branch_id in access.secretary_branch_ids(user)
    is_dept = access.can_dept(user)
    context = {
        "item": item,
        "interview": item.interview,
        "events": list(item.events.select_related("user")),
        "evidence": list(item.evidence.select_related("uploaded_by")),
        "is_own": is_own,
        "can_dept": is_dept,
    }
    if is_own and item.is_open:
        context["answer_form"] = forms.get("answer_form") or AnswerForm(
            instance=item, action=reverse("interviews:item_answer", args=[item.pk])
        )
    if is_own and item.status in (ItemStatus.IN_PROGRESS, ItemStatus.RETURNED):
        context["progress_form"] = forms.get("progress_form") or ProgressForm(
            initial={"progress": item.progress}, action=reverse("interviews:item_progress", args=[item.pk])
        )
    # Evidence can be added while the branch works on the item; once submitted it is frozen.
    if is_own and item.is_open:
        context["evidence_form"] = forms.get("evidence_form") or EvidenceForm(
            action=reverse("interviews:evidence_add", args=[item.pk])
        )
    if is_dept and item.status == ItemStatus.COMPLETED:
        context["return_form"] = forms.get("return_form") or ReturnForm(
            action=reverse("interviews:item_return", args=[item.pk])
        )
    return render(request, "interviews/item.html", context, status=status)


@login_required
def item_detail(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    return render_item(request, item)


def refused(request, item, exc: ValidationError):
    """A refused move changes nothing: say why and go back to the item."""
    messages.error(request, _error_text(exc))
    return redirect(item)


@require_POST
@login_required
def item_answer(request, pk: int):
    item = access.get_item_for_user(request.user, pk, access.BRANCH)
    form = AnswerForm(request.POST, instance=item, action=reverse("interviews:item_answer", args=[pk]))
    if not form.is_valid():
        item.refresh_from_db()  # the ModelForm wrote the bad input onto the instance
        return render_item(request, item, status=400, answer_form=form)
    try:
        services.item_answer(item=item, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return refused(request, item, exc)
    messages.success(request, _("整改措施已保存。"))
    return redirect(item)


@require_POST
@login_required
def item_progress(request, pk: int):
    item = access.get_item_for_user(request.user, pk, access.BRANCH)
    form = ProgressForm(request.POST, action=reverse("interviews:item_progress", args=[pk]))
    if not form.is_valid():
        return render_item(request, item, status=400, progress_form=form)
    try:
        item = services.item_report_progress(item=item, user=request.user, **form.cleaned_data)
    except services.EvidenceMissing as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field, errors)
        return render_item(request, item, status=400, progress_form=form)
    except ValidationError as exc:
        return refused(request, item, exc)
    if item.status == ItemStatus.COMPLETED:
        messages.success(request, _("已提交党建部验收，状态为“待验收”；佐证材料已锁定。"))
    else:
        messages.success(request, _("整改进展已报告。"))
    return redirect(item)


def _confirm(request, item, *, action: str, reason: str = ""):
    """The confirmation step of 验收/退回: what is being accepted (or returned), and a second
    button that posts again with `confirmed`. Plain HTML, no script: nothing changes until then."""
    return render(
        request,
        "interviews/item_confirm.html",
        {
            "item": item,
            "interview": item.interview,
            "evidence": list(item.evidence.select_related("uploaded_by")),
            "action": action,
            "reason": reason,
        },
    )


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


@require_POST
@login_required
def item_accept(request, pk: int):
    item = access.get_item_for_user(request.user, pk, access.DEPT)
    if item.status != ItemStatus.COMPLETED:
        return refused(
            request,
            item,
            ValidationError(_("该事项状态为“%(status)s”，不能验收。") % {"status": item.get_status_display()}),
        )
    if not _confirmed(request):
        return _confirm(request, item, action="accept")
    try:
        item = services.item_accept(item=item, user=request.user)
    except ValidationError as exc:
        return refused(request, item, exc)
    if item.interview.is_closed:
        messages.success(request, _("已验收。该党组织的整改事项已全部验收，整改销号。"))
    else:
        messages.success(request, _("已验收。"))
    return redirect(item.interview)


@require_POST
@login_required
def item_return(request, pk: int):
    item = access.get_item_for_user(request.user, pk, access.DEPT)
    form = ReturnForm(request.POST, action=reverse("interviews:item_return", args=[pk]))
    if not form.is_valid():
        return render_item(request, item, status=400, return_form=form)
    if item.status != ItemStatus.COMPLETED:
        return refused(
            request,
            item,
            ValidationError(_("该事项状态为“%(status)s”，不能退回。") % {"status": item.get_status_display()}),
        )
    if not _confirmed(request):
        return _confirm(request, item, action="return", reason=form.cleaned_data["reason"])
    try:
        services.item_return(item=item, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return refused(request, item, exc)
    messages.success(request, _("已退回，并通知支部书记。"))
    return redirect(item)

"""Pages for interviews and rectification: parse, check access, call a service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from interviews import access, selectors, services
from interviews.evidence import SizeLimitUploadHandler, too_big_message
from interviews.forms import (
    AnswerForm,
    EvidenceForm,
    ItemAddForm,
    LookBackRecordForm,
    LookBackScheduleForm,
    MinutesForm,
    ProgressForm,
    ReturnForm,
    ScheduleForm,
)
from interviews.models import Interview, ItemStatus

PAGE_SIZE = 50


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- lists ---------------------------------------------------------------------------------------


@login_required
def interview_list(request):
    """Every interview the user may see, with progress; overdue counts in red."""
    qs = access.visible_interviews(request.user)
    if not access.reads_all(request.user) and not access.secretary_branch_ids(request.user):
        raise PermissionDenied(_("您没有权限查看约谈与整改。"))
    to_hold = request.GET.get("to_hold") == "1"
    listed = selectors.interviews_with_progress(qs)
    if to_hold:  # the home card's "全部待约谈": scheduled first, then those without a time
        listed = selectors.to_hold_order(listed)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interviews/list.html", {"interviews": page.object_list, "page": page, "to_hold": to_hold})


@login_required
def overview(request):
    """党建部 and leadership: open rectifications, overdue counts, branches repeatedly on the blue board."""
    if not access.reads_all(request.user):
        raise PermissionDenied(_("整改总览仅对党建部和党委领导开放。"))
    context = selectors.overview()
    page = Paginator(context.pop("open_interviews"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interviews/overview.html", {**context, "open_interviews": page.object_list, "page": page})


@login_required
def my_checklist(request):
    """The secretary's shortcut: their branch's latest interview, or the list when there are several."""
    interviews = list(
        access.visible_interviews(request.user)
        .filter(branch_id__in=access.secretary_branch_ids(request.user))
        .order_by("-quarter__year", "-quarter__number")[:2]
    )
    if len(interviews) == 1:
        return redirect(interviews[0])
    if not interviews:
        return render(request, "interviews/none.html")
    return redirect("interviews:list")


# --- one interview -------------------------------------------------------------------------------


def _render_interview(request, interview: Interview, status: int = 200, **forms):
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
    return _render_interview(request, interview)


@require_POST
@login_required
def interview_schedule(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = ScheduleForm(request.POST, interview=interview, action=reverse("interviews:schedule", args=[pk]))
    if not form.is_valid():
        return _render_interview(request, interview, status=400, schedule_form=form)
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
        return _render_interview(request, interview, status=400, minutes_form=form)
    messages.success(request, _("约谈记录已保存。"))
    return redirect(interview)


@require_POST
@login_required
def item_add(request, pk: int):
    interview = access.get_interview_for_user(request.user, pk, access.DEPT)
    form = ItemAddForm(request.POST, action=reverse("interviews:item_add", args=[pk]))
    if not form.is_valid():
        return _render_interview(request, interview, status=400, add_form=form)
    services.item_add(interview=interview, user=request.user, **form.cleaned_data)
    messages.success(request, _("已新增整改事项。"))
    return redirect(interview)


# --- one item ------------------------------------------------------------------------------------


def _render_item(request, item, status: int = 200, **forms):
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
    return _render_item(request, item)


def _refused(request, item, exc: ValidationError):
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
        return _render_item(request, item, status=400, answer_form=form)
    try:
        services.item_answer(item=item, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _refused(request, item, exc)
    messages.success(request, _("整改措施已保存。"))
    return redirect(item)


@require_POST
@login_required
def item_progress(request, pk: int):
    item = access.get_item_for_user(request.user, pk, access.BRANCH)
    form = ProgressForm(request.POST, action=reverse("interviews:item_progress", args=[pk]))
    if not form.is_valid():
        return _render_item(request, item, status=400, progress_form=form)
    try:
        item = services.item_report_progress(item=item, user=request.user, **form.cleaned_data)
    except services.EvidenceMissing as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field, errors)
        return _render_item(request, item, status=400, progress_form=form)
    except ValidationError as exc:
        return _refused(request, item, exc)
    if item.status == ItemStatus.COMPLETED:
        messages.success(request, _("已提交党建部验收，状态为“待验收”；佐证材料已锁定。"))
    else:
        messages.success(request, _("整改进展已报告。"))
    return redirect(item)


@csrf_exempt  # only so the size guard is installed before the body is read; checked just below
def evidence_add(request, pk: int):
    guard = SizeLimitUploadHandler(request)
    request.upload_handlers.insert(0, guard)
    return _evidence_add(request, pk, guard)


@csrf_protect
@require_POST
@login_required
def _evidence_add(request, pk: int, guard: SizeLimitUploadHandler):
    item = access.get_item_for_user(request.user, pk, access.BRANCH)
    form = EvidenceForm(request.POST, request.FILES, action=reverse("interviews:evidence_add", args=[pk]))
    if guard.skipped:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", too_big_message(guard.skipped[0]))
    if not form.is_valid():
        return _render_item(request, item, status=400, evidence_form=form)
    try:
        evidence = services.evidence_add(item=item, user=request.user, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        return _refused(request, item, exc)
    messages.success(request, _("佐证材料“%(name)s”已上传。") % {"name": evidence.original_name})
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
        return _refused(
            request,
            item,
            ValidationError(_("该事项状态为“%(status)s”，不能验收。") % {"status": item.get_status_display()}),
        )
    if not _confirmed(request):
        return _confirm(request, item, action="accept")
    try:
        item = services.item_accept(item=item, user=request.user)
    except ValidationError as exc:
        return _refused(request, item, exc)
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
        return _render_item(request, item, status=400, return_form=form)
    if item.status != ItemStatus.COMPLETED:
        return _refused(
            request,
            item,
            ValidationError(_("该事项状态为“%(status)s”，不能退回。") % {"status": item.get_status_display()}),
        )
    if not _confirmed(request):
        return _confirm(request, item, action="return", reason=form.cleaned_data["reason"])
    try:
        services.item_return(item=item, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return _refused(request, item, exc)
    messages.success(request, _("已退回，并通知支部书记。"))
    return redirect(item)


@require_POST
@login_required
def evidence_remove(request, pk: int):
    evidence = access.get_evidence_for_user(request.user, pk, access.BRANCH)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as exc:
        return _refused(request, evidence.item, exc)
    messages.success(request, _("佐证材料“%(name)s”已删除。") % {"name": evidence.original_name})
    return redirect(evidence.item)


@login_required
def evidence_download(request, pk: int):
    """Evidence is served only here, to those who may see the branch — never from a public URL."""
    evidence = access.get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    from baiyin_eval.xlsx import attachment_disposition
    from interviews.evidence import CONTENT_TYPES

    response = FileResponse(
        handle,
        as_attachment=True,
        content_type=CONTENT_TYPES.get(evidence.kind, "application/octet-stream"),
    )
    response["Content-Disposition"] = attachment_disposition(evidence.original_name, _ascii_evidence_name(evidence))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- look-back -----------------------------------------------------------------------------------


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
        return _render_interview(request, interview, status=400, look_back_form=form)
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


def _ascii_evidence_name(evidence) -> str:
    from baiyin_eval.xlsx import ascii_file_name

    return ascii_file_name(evidence.original_name, "evidence")

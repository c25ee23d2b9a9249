"""Evidence of an item: added under a size guard, removed while open, served only to those who may see it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from baiyin_eval.xlsx import ascii_file_name, attachment_disposition
from interviews import access, services
from interviews.evidence import SizeLimitUploadHandler, too_big_message
from interviews.forms import (
    EvidenceForm,
)
from interviews.views.items import refused, render_item


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
        return render_item(request, item, status=400, evidence_form=form)
    try:
        evidence = services.evidence_add(item=item, user=request.user, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        return refused(request, item, exc)
    messages.success(request, _("佐证材料“%(name)s”已上传。") % {"name": evidence.original_name})
    return redirect(item)


@require_POST
@login_required
def evidence_remove(request, pk: int):
    evidence = access.get_evidence_for_user(request.user, pk, access.BRANCH)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as exc:
        return refused(request, evidence.item, exc)
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


def _ascii_evidence_name(evidence) -> str:
    return ascii_file_name(evidence.original_name, "evidence")

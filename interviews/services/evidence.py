"""Evidence of rectification: added while an item is open, removed, and orphaned files swept."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import User
from branches.text import shorten_keeping_extension, strip_hidden
from interviews.evidence import validate_evidence
from interviews.models import (
    Evidence,
    ItemEvent,
    ItemStatus,
    RectificationItem,
)
from interviews.services.items import TransitionRefused, locked_item


@transaction.atomic
def evidence_add(*, item: RectificationItem, user: User, upload) -> Evidence:
    """Attach an evidence file to an item the branch is still working on (not while 党建部 checks it)."""
    ext = validate_evidence(upload)
    item = locked_item(item)
    if item.status == ItemStatus.ACCEPTED:
        raise TransitionRefused(_("该事项已验收，不能再上传佐证材料。"), code="closed")
    if item.status == ItemStatus.COMPLETED:
        raise TransitionRefused(
            _("该事项已提交验收，佐证材料已锁定，不能再上传；如被退回，可补充上传。"), code="frozen"
        )
    name = shorten_keeping_extension(strip_hidden(upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]), 200)
    evidence = Evidence(item=item, original_name=name, size=upload.size, kind=ext, uploaded_by=user)
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    ItemEvent.objects.create(item=item, user=user, note=_("上传佐证材料：%(name)s") % {"name": name})
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """The branch takes back a file uploaded by mistake, as long as it was never submitted for acceptance."""
    item = locked_item(evidence.item)
    if item.status == ItemStatus.ACCEPTED:
        raise TransitionRefused(_("该事项已验收，佐证材料不能再删除。"), code="closed")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_frozen or item.status == ItemStatus.COMPLETED:
        raise TransitionRefused(
            _("佐证材料“%(name)s”已随整改提交验收，不能删除。") % {"name": evidence.original_name}, code="frozen"
        )
    name = evidence.original_name
    stored = evidence.file.name or ""
    evidence.delete()
    ItemEvent.objects.create(item=item, user=user, note=_("删除佐证材料：%(name)s") % {"name": name})
    # The file goes only once the row's deletion is committed.
    storage = evidence.file.storage
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def evidence_orphans_remove(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> list[str]:
    """Delete evidence files that no row refers to: an upload whose transaction rolled back after
    the file was written (Django has no on-rollback hook). Only files older than `older_than`, so an
    upload still in flight is never touched. Returns the names removed.

    Walks the evidence storage (local disk or the shared bucket) under `evidence/`."""
    from django.core.files.storage import default_storage

    known = set(Evidence.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in _storage_walk(default_storage, "evidence"):
        if name not in known and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed.append(name)
    return removed


def _storage_walk(storage, folder: str):
    """Every file name under `folder` of a Django storage, recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        yield f"{folder}/{filename}"
    for sub in folders:
        yield from _storage_walk(storage, f"{folder}/{sub}")

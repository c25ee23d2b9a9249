"""Rectification that proves itself: submission for acceptance needs evidence (or a written reason
why there is none), reads 待验收 until 党建部 accepts, freezes the evidence submitted, and 验收 and
退回 each go through a confirmation step (plain HTML, no script). Every refused action changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from branches.models import Notice
from interviews.models import Evidence, ItemEvent, ItemStatus
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def item(secretary_user):
    return make_interview(branch=secretary_user.branch, n_items=1, **answered()).items.get()


def upload(client, item, name="整改报告.pdf"):
    return client.post(f"/interviews/items/{item.pk}/evidence/", {"file": SimpleUploadedFile(name, PDF)})


def submit(client, item, **extra):
    return client.post(
        f"/interviews/items/{item.pk}/progress/", {"progress": "已按措施整改", "completed": "on", **extra}
    )


def snapshot(item):
    item.refresh_from_db()
    return (
        item.status,
        item.progress,
        item.no_evidence_reason,
        ItemEvent.objects.filter(item=item).count(),
        sorted(Evidence.objects.filter(item=item).values_list("original_name", "submitted_at")),
    )


def test_submitting_without_evidence_or_reason_is_refused_next_to_the_field(client, secretary_user, item):
    client.force_login(secretary_user)
    before = snapshot(item)
    response = submit(client, item)
    assert response.status_code == 400
    page = response.content.decode()
    assert "提交验收前请至少上传一份佐证材料；确实没有佐证材料的，请在这里写明原因。" in page
    assert 'id="id_no_evidence_reason"' in page
    assert snapshot(item) == before


def test_progress_without_completion_needs_no_evidence(client, secretary_user, item):
    client.force_login(secretary_user)
    response = client.post(f"/interviews/items/{item.pk}/progress/", {"progress": "正在整理台账"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == (ItemStatus.IN_PROGRESS, "正在整理台账")


def test_with_evidence_the_item_awaits_acceptance_and_the_evidence_is_frozen(client, secretary_user, item):
    client.force_login(secretary_user)
    assert upload(client, item).status_code == 302
    assert submit(client, item).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED
    assert item.get_status_display() == "待验收"
    evidence = item.evidence.get()
    assert evidence.submitted_at is not None
    page = client.get(f"/interviews/items/{item.pk}/").content.decode()
    assert ">待验收</span>" in page and "已完成" not in page
    assert "佐证材料已锁定" in page
    assert f"/interviews/evidence/{evidence.pk}/remove/" not in page  # no delete button
    assert 'id="evidence-form"' not in page  # no upload form
    listed = client.get(f"/interviews/{item.interview_id}/").content.decode()
    assert "待验收" in listed


def test_frozen_evidence_is_refused_server_side_and_nothing_changes(client, secretary_user, item, media):
    client.force_login(secretary_user)
    upload(client, item)
    submit(client, item)
    evidence = item.evidence.get()
    before = snapshot(item)
    # a delete and an upload posted by hand (the buttons are gone) are refused, and say why
    response = client.post(f"/interviews/evidence/{evidence.pk}/remove/", follow=True)
    assert "已随整改提交验收，不能删除" in response.content.decode()
    response = upload(client, item, "补充.pdf")
    assert response.status_code == 302
    assert "佐证材料已锁定，不能再上传" in client.get(f"/interviews/items/{item.pk}/").content.decode()
    assert snapshot(item) == before
    assert evidence.file.storage.exists(evidence.file.name)


def test_after_a_return_the_submitted_evidence_stays_and_new_files_may_be_added(
    client, secretary_user, dept_user, item
):
    client.force_login(secretary_user)
    upload(client, item)
    submit(client, item)
    first = item.evidence.get()
    client.force_login(dept_user)
    client.post(f"/interviews/items/{item.pk}/return/", {"reason": "缺少会议记录", "confirmed": "1"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    client.force_login(secretary_user)
    client.post(f"/interviews/evidence/{first.pk}/remove/")
    assert Evidence.objects.filter(pk=first.pk).exists()  # still part of the record
    assert upload(client, item, "会议记录.pdf").status_code == 302
    added = item.evidence.get(original_name="会议记录.pdf")
    assert added.submitted_at is None
    client.post(f"/interviews/evidence/{added.pk}/remove/")  # not yet submitted: may go
    assert not Evidence.objects.filter(pk=added.pk).exists()


def test_a_written_reason_stands_in_for_evidence_and_is_shown_to_the_department(
    client, secretary_user, dept_user, item
):
    client.force_login(secretary_user)
    assert submit(client, item, no_evidence_reason="现场整改，已由党建部当场查看").status_code == 302
    item.refresh_from_db()
    assert (item.status, item.no_evidence_reason) == (ItemStatus.COMPLETED, "现场整改，已由党建部当场查看")
    client.force_login(dept_user)
    page = client.post(f"/interviews/items/{item.pk}/accept/").content.decode()
    assert "现场整改，已由党建部当场查看" in page


def completed(client, secretary_user, item):
    client.force_login(secretary_user)
    upload(client, item)
    submit(client, item)


def test_acceptance_asks_for_confirmation_first(client, secretary_user, dept_user, item):
    completed(client, secretary_user, item)
    client.force_login(dept_user)
    before = snapshot(item)
    response = client.post(f"/interviews/items/{item.pk}/accept/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认验收通过这项整改？" in page and "整改报告.pdf" in page
    assert 'name="confirmed" value="1"' in page
    assert snapshot(item) == before
    response = client.post(f"/interviews/items/{item.pk}/accept/", {"confirmed": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_return_asks_for_confirmation_and_carries_the_reason(client, secretary_user, dept_user, item):
    completed(client, secretary_user, item)
    client.force_login(dept_user)
    before = snapshot(item)
    response = client.post(f"/interviews/items/{item.pk}/return/", {"reason": "会议记录缺签名"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认退回这项整改？" in page and 'name="reason" value="会议记录缺签名"' in page
    assert snapshot(item) == before
    assert not Notice.objects.filter(message__contains="会议记录缺签名").exists()
    client.post(f"/interviews/items/{item.pk}/return/", {"reason": "会议记录缺签名", "confirmed": "1"})
    item.refresh_from_db()
    assert (item.status, item.return_reason) == (ItemStatus.RETURNED, "会议记录缺签名")
    assert Notice.objects.filter(message__contains="会议记录缺签名").exists()


def test_the_confirmation_page_works_without_inline_script(client, secretary_user, dept_user, item):
    completed(client, secretary_user, item)
    client.force_login(dept_user)
    for url, data in (
        (f"/interviews/items/{item.pk}/accept/", {}),
        (f"/interviews/items/{item.pk}/return/", {"reason": "r"}),
    ):
        page = client.post(url, data).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # CSP: scripts only from files
        assert "onclick" not in page and "onsubmit" not in page


def test_the_branch_cannot_accept_or_return_even_with_confirmation(client, secretary_user, item):
    completed(client, secretary_user, item)
    before = snapshot(item)
    assert client.post(f"/interviews/items/{item.pk}/accept/", {"confirmed": "1"}).status_code in (403, 404)
    response = client.post(f"/interviews/items/{item.pk}/return/", {"reason": "x", "confirmed": "1"})
    assert response.status_code in (403, 404)
    assert snapshot(item) == before


def test_an_item_not_awaiting_acceptance_is_not_offered_for_confirmation(client, dept_user, item):
    client.force_login(dept_user)
    before = snapshot(item)
    response = client.post(f"/interviews/items/{item.pk}/accept/", follow=True)
    assert "不能验收" in response.content.decode() and "确认验收通过" not in response.content.decode()
    assert snapshot(item) == before

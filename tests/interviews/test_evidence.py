"""Evidence uploads: allowed types by extension AND content, a size limit, stored under MEDIA_ROOT,
served only to those who may see the branch; a rejected upload says why, in Chinese."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from interviews.models import Evidence, ItemStatus
from tests import factories
from tests.helpers import make_user
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def item(secretary_user):
    return make_interview(branch=secretary_user.branch, n_items=1, **answered()).items.get()


def upload(client, item, name: str, content: bytes):
    return client.post(f"/interviews/items/{item.pk}/evidence/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("整改报告.pdf", PDF),
        ("现场照片.png", PNG),
        ("现场照片.JPG", JPEG),
        ("台账.xlsx", ooxml("xl")),
        ("会议记录.docx", ooxml("word")),
        ("汇报.pptx", ooxml("ppt")),
        ("旧台账.xls", OLE2),
        ("旧记录.doc", OLE2),
    ],
)
def test_allowed_files_are_stored_under_media_root(client, secretary_user, item, media, name, content):
    client.force_login(secretary_user)
    response = upload(client, item, name, content)
    assert response.status_code == 302
    evidence = Evidence.objects.get(item=item)
    assert evidence.original_name == name
    assert evidence.size == len(content)
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(media)
    assert stored.read_bytes() == content
    assert name not in str(stored)  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("脚本.exe", b"MZ\x90\x00" + b"\x00" * 64, "不支持"),
        ("页面.html", b"<html><script>alert(1)</script></html>", "不支持"),
        ("无扩展名", PDF, "不支持"),
        ("改名的程序.pdf", b"MZ\x90\x00" + b"\x00" * 64, "内容与扩展名"),
        ("假图片.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "内容与扩展名"),
        ("假表格.xlsx", plain_zip(), "内容与扩展名"),
        ("文档当表格.xlsx", ooxml("word"), "内容与扩展名"),
        ("空文件.pdf", b"", "空文件"),
    ],
)
def test_a_wrong_type_is_rejected_with_the_reason(client, secretary_user, item, media, name, content, why):
    client.force_login(secretary_user)
    response = upload(client, item, name, content)
    assert response.status_code == 400
    assert why in response.content.decode()
    assert not Evidence.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_file_over_the_limit_is_rejected_with_the_reason(client, secretary_user, item, settings, media):
    settings.INTERVIEWS_EVIDENCE_MAX_BYTES = 1024
    client.force_login(secretary_user)
    response = upload(client, item, "大文件.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400
    body = response.content.decode()
    assert "超过了" in body and "上限" in body
    assert not Evidence.objects.exists()
    assert upload(client, item, "小文件.pdf", PDF).status_code == 302


def test_the_limit_has_a_default():
    from interviews.evidence import DEFAULT_MAX_BYTES, max_bytes

    assert max_bytes() == DEFAULT_MAX_BYTES == 10 * 1024 * 1024


def test_an_accepted_item_takes_no_more_evidence(client, secretary_user):
    item = make_interview(branch=secretary_user.branch, n_items=1, **answered(status=ItemStatus.ACCEPTED)).items.get()
    client.force_login(secretary_user)
    response = upload(client, item, "补充.pdf", PDF)
    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_the_file_is_served_to_the_branch_and_the_department_only(client, secretary_user, dept_user, leader_user, item):
    client.force_login(secretary_user)
    upload(client, item, "整改报告.pdf", PDF)
    evidence = Evidence.objects.get()
    url = f"/interviews/evidence/{evidence.pk}/"
    for user in (secretary_user, dept_user, leader_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    outsider = make_user("支部书记", username="outsider")
    factories.BranchFactory(secretary=outsider)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_evidence_is_not_under_the_static_tree():
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT).resolve()
    for static in [Path(settings.STATIC_ROOT).resolve(), *(Path(d).resolve() for d in settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(static)


def test_an_oversized_upload_is_dropped_while_it_streams(client, secretary_user, item, settings, media):
    from interviews.evidence import SizeLimitUploadHandler

    settings.INTERVIEWS_EVIDENCE_MAX_BYTES = 100 * 1024
    seen = []
    original = SizeLimitUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        seen.append(start)
        return original(self, raw_data, start)

    SizeLimitUploadHandler.receive_data_chunk = spy
    try:
        client.force_login(secretary_user)
        response = upload(client, item, "扫描件.pdf", PDF + b"0" * (1024 * 1024))
    finally:
        SizeLimitUploadHandler.receive_data_chunk = original
    assert response.status_code == 400
    body = response.content.decode().replace("\xa0", " ")  # filesizeformat uses a no-break space
    assert "文件“扫描件.pdf”超过了 100.0 KB 的上限" in body
    assert max(seen) < 200 * 1024  # stopped after the first chunks, not at the end of the megabyte
    assert not Evidence.objects.exists()


def test_the_upload_still_checks_csrf(secretary_user, item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary_user)
    response = upload(client, item, "整改报告.pdf", PDF)
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_uploading_needs_post(client, secretary_user, item):
    client.force_login(secretary_user)
    assert client.get(f"/interviews/items/{item.pk}/evidence/").status_code == 405


def test_the_secretary_removes_a_file_uploaded_by_mistake(
    client, secretary_user, item, django_capture_on_commit_callbacks
):
    client.force_login(secretary_user)
    upload(client, item, "传错的.pdf", PDF)
    evidence = Evidence.objects.get()
    stored = Path(evidence.file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/interviews/evidence/{evidence.pk}/remove/")
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not stored.exists()
    assert item.events.filter(note__contains="删除佐证材料：传错的.pdf").exists()


def test_only_the_branch_removes_evidence_and_never_after_acceptance(
    client, secretary_user, leader_user, dept_user, item
):
    client.force_login(secretary_user)
    upload(client, item, "报告.pdf", PDF)
    evidence = Evidence.objects.get()
    url = f"/interviews/evidence/{evidence.pk}/remove/"
    for user, status in ((leader_user, 403), (dept_user, 403)):
        client.force_login(user)
        assert client.post(url).status_code == status
    outsider = make_user("支部书记", username="outsider2")
    factories.BranchFactory(secretary=outsider)
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    type(item).objects.filter(pk=item.pk).update(status=ItemStatus.ACCEPTED)
    client.force_login(secretary_user)
    response = client.post(url, follow=True)
    assert "佐证材料不能再删除" in response.content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_files_no_row_refers_to_are_swept_once_old(client, secretary_user, item, media):
    import os
    import time

    from interviews.services import evidence_orphans_remove

    client.force_login(secretary_user)
    upload(client, item, "保留.pdf", PDF)
    kept = Path(Evidence.objects.get().file.path)
    orphan_dir = media / "evidence" / "2030" / "01"
    orphan_dir.mkdir(parents=True)
    old_orphan, new_orphan = orphan_dir / "old.pdf", orphan_dir / "new.pdf"
    old_orphan.write_bytes(PDF)
    new_orphan.write_bytes(PDF)
    two_days_ago = time.time() - 2 * 86400
    os.utime(old_orphan, (two_days_ago, two_days_ago))
    os.utime(kept, (two_days_ago, two_days_ago))
    assert evidence_orphans_remove() == ["evidence/2030/01/old.pdf"]
    assert kept.exists() and new_orphan.exists() and not old_orphan.exists()


def test_the_sweep_is_scheduled():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["interviews-remove-orphan-evidence"]["task"] == (
        "interviews.tasks.remove_orphan_evidence"
    )

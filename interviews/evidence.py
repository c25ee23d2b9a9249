"""Checks on uploaded evidence files (佐证材料): type by extension AND content signature, and size.

Pure functions over the uploaded file; the messages are what the uploader reads, in Chinese.
"""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = b"%PDF-"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
GIF = (b"GIF87a", b"GIF89a")
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt

# extension → (signature check, zip member prefix an OOXML file must contain, or None)
ALLOWED: dict[str, tuple[str, str | None]] = {
    "pdf": ("pdf", None),
    "png": ("png", None),
    "jpg": ("jpeg", None),
    "jpeg": ("jpeg", None),
    "gif": ("gif", None),
    "doc": ("ole2", None),
    "xls": ("ole2", None),
    "ppt": ("ole2", None),
    "docx": ("zip", "word/"),
    "xlsx": ("zip", "xl/"),
    "pptx": ("zip", "ppt/"),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def max_bytes() -> int:
    """The size limit: settings.INTERVIEWS_EVIDENCE_MAX_BYTES, 10 MB when unset."""
    return int(getattr(settings, "INTERVIEWS_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_extensions_label() -> str:
    return "PDF、PNG、JPG、GIF、Word（doc/docx）、Excel（xls/xlsx）、PowerPoint（ppt/pptx）"


def _head(upload, n: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _signature_matches(kind: str, head: bytes) -> bool:
    if kind == "pdf":
        return head.startswith(PDF)
    if kind == "png":
        return head.startswith(PNG)
    if kind == "jpeg":
        return head.startswith(JPEG)
    if kind == "gif":
        return head.startswith(GIF)
    if kind == "ole2":
        return head.startswith(OLE2)
    if kind == "zip":
        return head.startswith(ZIP)
    return False


def _ooxml_matches(upload, prefix: str) -> bool:
    """An Office Open XML file is a zip holding [Content_Types].xml and its application's folder."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)


def validate_evidence(upload) -> str:
    """Check one uploaded file; return its (lower-case) extension, or raise ValidationError saying why."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise ValidationError(
            _("不支持“%(name)s”的文件类型。请上传以下类型的文件：%(allowed)s。")
            % {"name": name, "allowed": allowed_extensions_label()},
            code="extension",
        )
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”大小为 %(size)s，超过了 %(limit)s 的上限。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="size",
        )
    kind, member = ALLOWED[ext]
    if not _signature_matches(kind, _head(upload)) or (member and not _ooxml_matches(upload, member)):
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名 .%(ext)s 不符，可能已损坏或被改名，请上传原始文件。")
            % {"name": name, "ext": ext},
            code="signature",
        )
    return ext


class SizeLimitUploadHandler(FileUploadHandler):
    """Placed first for evidence uploads: drops a file as soon as it grows past the limit, so an
    oversized upload is never written out in full. The names it dropped are kept for the form."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_bytes()
        self.skipped: list[str] = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.skipped.append(self.file_name or "")
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file


def too_big_message(name: str) -> str:
    return _("文件“%(name)s”超过了 %(limit)s 的上限，请压缩或拆分后再上传。") % {
        "name": name,
        "limit": filesizeformat(max_bytes()),
    }

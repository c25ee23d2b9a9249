"""Opening untrusted spreadsheets: checks made before openpyxl sees a byte, and bounded reading.

An .xlsx is a zip of XML parts. Before opening one we check that it is a zip, that its members
are few, and that their declared uncompressed sizes — in total and relative to their compressed
sizes — are modest: a zip bomb declares gigabytes in a few kilobytes. Python's zipfile never
inflates a member past its declared size (it fails the CRC instead), so the declared sizes bound
the real work. The XML itself is parsed through defusedxml (openpyxl uses it when installed), which
refuses entity declarations (billion laughs, external entities). The workbook is opened in
read-only mode, which streams rows instead of building every cell in memory.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 500
# A 50,000-branch template inflates to ~15 MB; 32 MB of sheet XML still parses in a few seconds.
MAX_TOTAL_UNCOMPRESSED = 32 * 1024 * 1024
# openpyxl holds every shared string in memory (read-only mode too): keep that part small.
MAX_SHARED_STRINGS = 8 * 1024 * 1024
MAX_MEMBER_RATIO = 100  # uncompressed / compressed, per member
MAX_ROWS = 60_000
MAX_COLUMNS = 300

_MERGE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell[\s/>]")


class UnsafeWorkbook(Exception):
    """The file cannot be read safely; the message says why, in Chinese, for the person uploading."""


def check_zip(source: IO[bytes]) -> None:
    """Refuse anything that is not a modest zip, before anything inflates it."""
    try:
        source.seek(0)
        if not zipfile.is_zipfile(source):
            raise UnsafeWorkbook(_("文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后再上传。"))
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnsafeWorkbook(_("文件已损坏，无法读取。")) from exc
    finally:
        source.seek(0)
    if len(members) > MAX_MEMBERS:
        raise UnsafeWorkbook(_("文件内部结构异常（包含 %(n)s 个部件），已拒绝。") % {"n": len(members)})
    total = 0
    for member in members:
        total += member.file_size
        compressed = max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and member.file_size / compressed > MAX_MEMBER_RATIO:
            raise UnsafeWorkbook(_("文件压缩比异常（疑似“压缩炸弹”），已拒绝。"))
        if member.filename.lower() == "xl/sharedstrings.xml" and member.file_size > MAX_SHARED_STRINGS:
            raise UnsafeWorkbook(
                _("文件中的文字内容过多（共享字符串超过 %(n)s MB），已拒绝。")
                % {"n": MAX_SHARED_STRINGS // (1024 * 1024)}
            )
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise UnsafeWorkbook(
            _("文件解压后过大（%(size)s MB，上限 %(limit)s MB），请拆分后再上传。")
            % {"size": total // (1024 * 1024), "limit": MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)}
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnsafeWorkbook(_("文件不是有效的 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx 后再上传。"))


def sheet_has_merged_cells(source: IO[bytes], part: str) -> bool:
    """Whether a worksheet part declares merged cells, read in chunks (the part may be large)."""
    source.seek(0)
    with zipfile.ZipFile(source) as archive, archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(256 * 1024):
            if _MERGE_RE.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _is_entity_trick(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML somewhere down the chain (openpyxl wraps its errors)."""
    from defusedxml import DefusedXmlException

    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _entity_message() -> str:
    return _("文件包含不允许的 XML 内容（实体声明），已拒绝。")


@contextmanager
def open_workbook(source: IO[bytes]) -> Iterator:
    """Yield a read-only openpyxl workbook for an uploaded file, or raise UnsafeWorkbook."""
    from openpyxl import load_workbook

    check_zip(source)
    try:
        wb = load_workbook(source, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        if _is_entity_trick(exc):
            raise UnsafeWorkbook(_entity_message()) from exc
        raise UnsafeWorkbook(_("无法读取该 Excel 文件：文件格式不正确或已损坏。")) from exc
    try:
        yield wb
    finally:
        wb.close()


def iter_rows(ws) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) for each row of a read-only sheet, refusing absurd sizes as it goes."""
    # The declared dimensions are the file's word, not the truth: ignore them, so rows are not
    # padded to whatever width or height the file claims, and count what is really there.
    ws.reset_dimensions()
    try:
        for number, cells in enumerate(ws.iter_rows(), start=1):
            if number > MAX_ROWS:
                raise UnsafeWorkbook(
                    _("工作表“%(sheet)s”行数过多（上限 %(n)s 行）。") % {"sheet": ws.title, "n": MAX_ROWS}
                )
            if len(cells) > MAX_COLUMNS:
                raise UnsafeWorkbook(
                    _("工作表“%(sheet)s”第 %(row)s 行列数过多（上限 %(n)s 列）。")
                    % {"sheet": ws.title, "row": number, "n": MAX_COLUMNS}
                )
            yield number, cells
    except UnsafeWorkbook:
        raise
    except Exception as exc:
        if _is_entity_trick(exc):
            raise UnsafeWorkbook(_entity_message()) from exc
        raise UnsafeWorkbook(_("无法读取工作表“%(sheet)s”：文件格式不正确或已损坏。") % {"sheet": ws.title}) from exc

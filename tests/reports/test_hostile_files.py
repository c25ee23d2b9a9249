"""Hostile uploads get a clear Chinese error within seconds and bounded memory, and write nothing."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from reports import safety
from reports.exports import score_template
from reports.imports import ImportRejected, branches_import, scores_import
from scoring.models import Quarter, Score, ScoreSheet
from scoring.services import quarter_create, quarter_transition
from tests.reports.helpers import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(demo):
    return quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)


def template_bytes(quarter) -> bytes:
    return workbook_bytes(score_template(quarter)).getvalue()


def rewrite(xlsx: bytes, replace: dict[str, bytes]) -> io.BytesIO:
    """The same workbook with some parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, replace.pop(item.filename, None) or src.read(item.filename))
        for name, data in replace.items():
            dst.writestr(name, data)
    out.seek(0)
    return out


def refused(quarter, source, importer="scores"):
    """Run an import on a hostile file: it must fail fast, in bounded memory, and write nothing."""
    before = (Score.objects.count(), ScoreSheet.objects.count())
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ImportRejected) as info:
        if importer == "scores":
            scores_import(quarter=quarter, group=None, source=source)
        else:
            branches_import(source=source)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5, f"took {elapsed:.1f}s"
    assert peak < 40 * 1024 * 1024, f"peak {peak // 1024 // 1024} MB"
    assert (Score.objects.count(), ScoreSheet.objects.count()) == before
    assert len(info.value.issues) == 1
    return info.value.issues[0].message


@pytest.mark.parametrize("importer", ["scores", "branches"])
def test_a_file_that_is_not_a_zip_is_refused(quarter, importer):
    message = refused(quarter, io.BytesIO(b"\xd0\xcf\x11\xe0 old binary .xls or anything else"), importer)
    assert message.startswith("文件不是有效的 Excel 工作簿（.xlsx）")


def test_a_truncated_file_is_refused(quarter):
    data = template_bytes(quarter)
    message = refused(quarter, io.BytesIO(data[: len(data) // 2]))
    assert "不是有效的 Excel 工作簿" in message or "已损坏" in message


def test_a_zip_that_is_not_a_workbook_is_refused(quarter):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "不是有效的 Excel 工作簿" in refused(quarter, out)


@pytest.mark.parametrize("importer", ["scores", "branches"])
def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_inflating(quarter, importer):
    # 200 MB of zeros compresses to ~200 KB: the ratio gives it away before anything is inflated.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    bomb.seek(0)
    assert "压缩炸弹" in refused(quarter, bomb, importer)


def test_a_workbook_too_large_once_inflated_is_refused(quarter, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", 10_000)
    message = refused(quarter, io.BytesIO(template_bytes(quarter)))
    assert "文件解压后过大" in message


def test_too_many_zip_members_are_refused(quarter, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 5)
    assert "内部结构异常" in refused(quarter, io.BytesIO(template_bytes(quarter)))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("importer", ["scores", "branches"])
def test_xml_entity_tricks_in_a_sheet_are_refused(quarter, payload, importer):
    source = rewrite(template_bytes(quarter), {"xl/worksheets/sheet1.xml": payload})
    assert "不允许的 XML 内容" in refused(quarter, source, importer)


def test_xml_entity_tricks_in_the_workbook_part_are_refused(quarter):
    payload = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"""
    source = rewrite(template_bytes(quarter), {"xl/workbook.xml": payload})
    assert "不允许的 XML 内容" in refused(quarter, source)


def test_openpyxl_parses_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_a_sheet_claiming_a_million_rows_is_cut_short(quarter, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr(safety, "MAX_ROWS", 1000)
    wb = load_workbook(io.BytesIO(template_bytes(quarter)))
    wb["Ⅰ类"].cell(row=1_000_000, column=2, value=1)  # one cell, a million rows down
    assert "行数过多" in refused(quarter, workbook_bytes(wb))


def test_garbage_xml_is_a_clear_error_not_a_crash(quarter):
    source = rewrite(template_bytes(quarter), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})
    assert "文件格式不正确或已损坏" in refused(quarter, source)


def test_a_cell_far_to_the_right_is_refused(quarter):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_bytes(quarter)))
    wb["Ⅰ类"].cell(row=3, column=16_000, value=1)
    assert "列数过多" in refused(quarter, workbook_bytes(wb))


def test_an_oversized_shared_strings_part_is_refused(quarter, monkeypatch):
    monkeypatch.setattr(safety, "MAX_SHARED_STRINGS", 100)
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"<si><t>a</t></si>" * 20
        + b"</sst>"
    )
    source = rewrite(template_bytes(quarter), {"xl/sharedStrings.xml": strings})
    assert "共享字符串" in refused(quarter, source)

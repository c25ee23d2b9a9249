"""Every workbook the portal produces prints right: A4, landscape where wide, fitted to the page
width, header rows repeated, and no wrapped text spilling over the next rows (LibreOffice and WPS
keep the row heights the file gives; Excel would recompute them, the others do not)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from baiyin_eval.xlsx import LINE_HEIGHT, PORTRAIT_WIDTH, line_count
from scoring.models import Quarter
from tests.reports.workbooks import LONG_MEASURE, SHORT_NEXT, add_long_rectification, every_workbook

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
EXPECTED = {
    "scores",
    "board",
    "adjustments",
    "rectification",
    "template",
    "template-group",
    "branches",
    "dashboard",
    "overview",
}


@pytest.fixture
def workbooks(demo, tmp_path):
    published = Quarter.objects.latest_published()
    add_long_rectification(published)
    files = every_workbook(tmp_path / "xlsx")
    assert set(files) == EXPECTED
    return files


def widths(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(i)].width for i in range(1, ws.max_column + 1)]


def test_every_sheet_of_every_workbook_prints_on_a4_fitted_with_its_headers_and_tall_enough_rows(workbooks):
    """Read back with openpyxl (one test: building every workbook from the demo takes a while)."""
    assert_print_setup(workbooks)
    assert_wide_ones_landscape(workbooks)
    assert_rows_tall_enough(workbooks)
    assert_the_rows_that_overlapped_have_their_heights(workbooks)


def assert_print_setup(workbooks):
    sheets = 0
    for name, path in workbooks.items():
        for ws in load_workbook(path).worksheets:
            sheets += 1
            where = f"{name}/{ws.title}"
            assert int(ws.page_setup.paperSize) == 9, where  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), where  # width only
            wide = sum(widths(ws)) > PORTRAIT_WIDTH
            assert ws.page_setup.orientation == ("landscape" if wide else "portrait"), where
            header_rows = "$1:$1" if name == "branches" else "$1:$2"
            assert ws.print_title_rows == header_rows, where
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, where
    assert sheets == 3 + 1 + 1 + 1 + 3 + 3 + 1 + 5 + 3  # every sheet was looked at


def assert_wide_ones_landscape(workbooks):
    for name in ("scores", "board", "adjustments", "rectification", "template", "branches"):
        for ws in load_workbook(workbooks[name]).worksheets:
            assert ws.page_setup.orientation == "landscape", f"{name}/{ws.title}"
    trend = load_workbook(workbooks["dashboard"])["本组织走势"]
    assert trend.page_setup.orientation == "portrait"  # six narrow columns


def assert_rows_tall_enough(workbooks):
    checked = 0
    for name, path in workbooks.items():
        for ws in load_workbook(path).worksheets:
            column_widths = widths(ws)
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                        continue
                    lines = line_count(cell.value, column_widths[cell.column - 1])
                    if lines > 1:
                        checked += 1
                        height = ws.row_dimensions[cell.row].height
                        assert height and height >= lines * LINE_HEIGHT, f"{name}/{ws.title}!{cell.coordinate}"
    assert checked > 20


def assert_the_rows_that_overlapped_have_their_heights(workbooks):
    ws = load_workbook(workbooks["rectification"]).active
    row = next(r for r in ws.iter_rows(min_row=3) if r[3].value == LONG_MEASURE)
    assert ws.row_dimensions[row[0].row].height >= 4 * LINE_HEIGHT
    scores = load_workbook(workbooks["scores"])["Ⅰ类"]
    assert scores["C2"].value.endswith("（12.0）")
    assert scores.row_dimensions[2].height >= 2 * LINE_HEIGHT


def _text_positions(pdf_path) -> list[tuple[int, str, float]]:
    """(page, text, y) of every text run LibreOffice drew (y grows upwards)."""
    from pypdf import PdfReader

    runs: list[tuple[int, str, float]] = []
    for number, page in enumerate(PdfReader(pdf_path).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                runs.append((number, text.strip(), tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
    return runs


def _y(runs, fragment: str) -> float:
    found = [y for _page, text, y in runs if fragment in text]
    assert found, f"{fragment!r} is not drawn (cut off by a row too short?)"
    return found[0]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_each_workbook_on_the_expected_pages_without_overlap(workbooks, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "pdf"
    profile = tmp_path / "profile"  # a private profile: no clash with another soffice running
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, workbooks.values()),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pages = {}
    for name in workbooks:
        reader = PdfReader(out / f"{name}.pdf")
        pages[name] = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    landscape, portrait = (842, 595), (595, 842)
    # One landscape page per category (the template used to print as 9 portrait pages of 2 columns).
    assert pages["scores"] == [landscape] * 3
    assert pages["template"] == [landscape] * 3
    for name in ("board", "adjustments", "rectification"):
        assert pages[name] == [landscape], name
    assert set(pages["dashboard"]) == {landscape, portrait}
    assert pages["overview"][0] == landscape

    # The long measure's last line is drawn above the next row's text, not across it.
    runs = _text_positions(out / "rectification.pdf")
    assert _y(runs, "限期完成") > _y(runs, SHORT_NEXT)
    # The "（12.0）" line of the score headers sits above the first data row.
    runs = _text_positions(out / "scores.pdf")
    first_page = [r for r in runs if r[0] == 0]
    assert _y(first_page, "12.0") > _y(first_page, "白银变电运检中心党支部")
    # Every page repeats the header row: each page of the dashboard's table names its columns.
    runs = _text_positions(out / "dashboard.pdf")
    table_pages = {page for page, text, _y in runs if "所属单位" in text}
    assert table_pages == {0, 1}

"""Done when: the four reports open cleanly — LibreOffice headless converts each to PDF (and the
roll-up's workbook, issue 17, for the demo company's unit)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from baiyin_eval.xlsx import save_atomically
from branches.models import Branch
from reports.exports import score_template
from reports.services import report_write
from tests.reports.helpers import publish

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_every_report_and_the_template_to_pdf(demo, tmp_path):
    from interviews.models import Interview, ItemStatus, RectificationItem

    quarter = publish(demo.quarter)
    interview = Interview.objects.create(quarter=quarter, branch=Branch.objects.get(name="平川区供电公司党总支"))
    RectificationItem.objects.create(
        interview=interview,
        description="“三会一课”落实不到位",
        measure="=制定计划",
        deadline=timezone.localdate() - timedelta(days=1),
        responsible="李强",
        status=ItemStatus.IN_PROGRESS,
    )
    files = []
    for kind in ("scores", "board", "adjustments", "rectification"):
        path = tmp_path / f"{kind}.xlsx"
        report_write(kind=kind, quarter=quarter, destination=path)
        files.append(path)
    rollup = tmp_path / "rollup.xlsx"
    report_write(kind="rollup", quarter=quarter, destination=rollup, params={"unit": quarter.unit_id})
    files.append(rollup)
    template = tmp_path / "template.xlsx"
    save_atomically(score_template(quarter), template)
    files.append(template)
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
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    for path in files:
        pdf = out / f"{path.stem}.pdf"
        assert pdf.is_file(), f"{path.name} was not converted: {result.stdout} {result.stderr}"
        head = pdf.read_bytes()
        assert head.startswith(b"%PDF") and len(head) > 5_000
        if path.stem != "template":
            # A4 landscape: every page's media box is about 842 × 595 points.
            boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", head)
            assert boxes, pdf
            for width, height in boxes:
                assert (round(float(width)), round(float(height))) == (842, 595), path.name

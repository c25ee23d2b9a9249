"""Published means frozen, everywhere: after publication, renaming, recategorising, moving,
deactivating (and trying to delete) branches, editing the adjustment table, the scheme, the
scores and the contribution points change nothing any page, export or `board --json` shows of the
published quarter."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from boards.followups import registered
from boards.models import BoardEntry, BoardScore, PublishedIndicator
from boards.services import adjustment_table_update, quarter_publish
from branches.models import Branch, Category, Unit
from reports.models import ReportKind
from reports.services import report_write
from scoring.models import ContributionPoint, Indicator, Score

pytestmark = pytest.mark.django_db

CODE = "2019Q1"
RENAMED = "白银变电运检中心党支部"  # Ⅰ类 red
RECATEGORISED = "电力调度中心党总支部"  # Ⅱ类 red
DEACTIVATED = "城区分公司党支部"
MOVED = "财务部党支部"  # Ⅲ类 red


def _run_follow_ups(quarter):
    for job in registered():
        job.run(quarter=quarter)


@pytest.fixture
def published(demo):
    dept = demo.users["dangjian"]
    quarter = quarter_publish(quarter=demo.quarter, user=dept)
    _run_follow_ups(quarter)
    return quarter, dept


def _normalised(html: str) -> str:
    # The CSRF token is masked afresh on every response; nothing else may differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _pages(quarter) -> list[str]:
    branches = {b.name: b.pk for b in Branch.objects.all()}
    shown = [branches[n] for n in (RENAMED, RECATEGORISED, DEACTIVATED, MOVED, "平川区供电公司党总支")]
    urls = [
        "/boards/",
        f"/boards/{quarter.code}/",
        f"/boards/{quarter.code}/?q=党支部",
        f"/boards/{quarter.code}/announcement/",
        f"/boards/{quarter.code}/preview/",
        f"/boards/{quarter.code}/severity/",
        "/boards/history/",
        "/boards/history/?category=1",
        "/boards/history/?q=中心",
        "/boards/dashboard/",
        "/boards/dashboard/?category=3",
        f"/boards/dashboard/overview/?quarter={quarter.code}",
        "/boards/dashboard/overview/?quarter=2018Q4",
    ]
    for pk in shown:
        urls += [f"/boards/branch/{pk}/?quarter={quarter.code}", f"/boards/branch/{pk}/?quarter=2018Q4"]
        urls.append(f"/boards/dashboard/?branch={pk}")
    return urls


def _read_pages(client, urls) -> dict[str, str]:
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = _normalised(response.content.decode())
    return out


def _workbook_values(path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _exports(quarter, tmp_path, tag: str) -> dict[str, dict]:
    out = {}
    for kind in ReportKind.values:
        path = tmp_path / f"{tag}-{kind}.xlsx"
        report_write(kind=kind, quarter=quarter, destination=path)
        out[kind] = _workbook_values(path)
    return out


def _board_json(code: str) -> dict:
    out = io.StringIO()
    call_command("board", "--quarter", code, "--json", stdout=out)
    return json.loads(out.getvalue())


def _change_everything_after_publication(client, quarter) -> None:
    renamed = Branch.objects.get(name=RENAMED)
    renamed.name = "白银变电运检中心党支部（更名）"
    renamed.save()
    recategorised = Branch.objects.get(name=RECATEGORISED)
    recategorised.category = Category.III
    recategorised.save()
    Branch.objects.filter(name=DEACTIVATED).update(is_active=False)
    moved = Branch.objects.get(name=MOVED)
    moved.unit = Unit.objects.create(name="新设单位")
    moved.save()
    for unit in Unit.objects.exclude(name="新设单位"):
        unit.name = f"{unit.name}（改）"
        unit.save()

    # Deleting a branch with a published result is refused: the record keeps naming it.
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    refused = client.get(f"/admin/branches/branch/{pingchuan.pk}/delete/")
    assert "无法删除" in refused.content.decode()
    client.post(f"/admin/branches/branch/{pingchuan.pk}/delete/", {"post": "yes"})
    assert Branch.objects.filter(pk=pingchuan.pk).exists()

    dept = quarter.published_by
    adjustment_table_update(
        points={
            (c, b): Decimal("3.00") if b == "red" else Decimal("-3.00")
            for c in Category.values
            for b in ("red", "blue")
        },
        user=dept,
    )
    indicators = Indicator.objects.filter(quarter=quarter)
    for indicator in indicators:
        indicator.name = f"{indicator.name}（新版）"
        indicator.code = f"N{indicator.code}"
        indicator.max_score = indicator.max_score + 5
    Indicator.objects.bulk_update(indicators, ["name", "code", "max_score"])
    Indicator.objects.create(quarter=quarter, code="NEW", name="新增指标", max_score=Decimal("5"), position=99)
    Score.objects.filter(sheet__quarter=quarter).update(value=Decimal("0"))
    ContributionPoint.objects.filter(quarter=quarter).update(points=Decimal("0"))


def _without_footer(page: str) -> str:
    return re.sub(r"<footer\b.*?</footer>", "", page, flags=re.S)


def test_nothing_done_after_publication_changes_what_was_published(client, published, admin_user, tmp_path):
    quarter, dept = published
    urls = _pages(quarter)
    client.force_login(dept)
    pages_before = _read_pages(client, urls)
    exports_before = _exports(quarter, tmp_path, "before")
    json_before = {code: _board_json(code) for code in (CODE, "2018Q4", "2018Q3")}
    # The published board names the red branches as they were.
    assert RENAMED in json.dumps(json_before[CODE], ensure_ascii=False)

    admin_client = type(client)()
    admin_client.force_login(admin_user)
    _change_everything_after_publication(admin_client, quarter)
    quarter.refresh_from_db()

    pages_after = _read_pages(client, urls)
    for url in urls:
        # The footer is the site's chrome, naming the viewer's unit as it is today; the page is the record.
        assert _without_footer(pages_after[url]) == _without_footer(pages_before[url]), url
    exports_after = _exports(quarter, tmp_path, "after")
    for kind in ReportKind.values:
        assert exports_after[kind] == exports_before[kind], kind
    assert {code: _board_json(code) for code in (CODE, "2018Q4", "2018Q3")} == json_before
    # What the pages keep showing is the record, not what the branches are now.
    board = pages_after[f"/boards/{CODE}/"]
    assert RENAMED in board and "（更名）" not in board and "新版" not in board
    assert "（改）" not in _without_footer(
        pages_after[f"/boards/branch/{Branch.objects.get(name=MOVED).pk}/?quarter={CODE}"]
    )


def test_the_snapshot_is_stored_with_the_board(published):
    quarter, _ = published
    entries = BoardEntry.objects.filter(quarter=quarter)
    red = entries.get(branch__name=RENAMED)
    assert (red.branch_name, red.category, red.unit_name) == (RENAMED, "1", Branch.objects.get(name=RENAMED).unit.name)
    assert (
        PublishedIndicator.objects.filter(quarter=quarter).count() == Indicator.objects.filter(quarter=quarter).count()
    )
    # Every ranked row carries a score for each indicator of its category.
    per_category = {
        c: PublishedIndicator.objects.filter(quarter=quarter, category__in=["", c]).count() for c in Category.values
    }
    for entry in entries.filter(status=BoardEntry.Status.RANKED):
        assert BoardScore.objects.filter(quarter=quarter, branch=entry.branch).count() == per_category[entry.category]


def test_a_branch_with_a_published_result_cannot_be_deleted(published):
    from django.db.models import ProtectedError

    branch = Branch.objects.get(name=RENAMED)
    with pytest.raises(ProtectedError):
        branch.delete()

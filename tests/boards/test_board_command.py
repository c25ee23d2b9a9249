"""`manage.py board`: the issue's JSON, agreeing with the page; --publish as the button does."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from boards.models import BoardEntry
from branches.models import Notice
from scoring.models import Quarter

pytestmark = pytest.mark.django_db

REPORT = {
    "Ⅰ": (["白银变电运检中心党支部"], ["平川区供电公司党总支"]),
    "Ⅱ": (["电力调度中心党总支部"], ["鸿运物业分公司党支部"]),
    "Ⅲ": (["财务部党支部"], ["营销部党支部"]),
}


def board_json(*args) -> dict:
    out = StringIO()
    call_command("board", "--quarter", "2019Q1", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_json_has_the_issues_shape_and_the_reports_boards(demo):
    data = board_json()
    assert set(data) == {"quarter", "published", "categories", "adjustments"}
    assert data["quarter"] == "2019Q1" and data["published"] is False
    assert [c["category"] for c in data["categories"]] == ["Ⅰ", "Ⅱ", "Ⅲ"]
    for category in data["categories"]:
        assert set(category) == {"category", "ranking", "red", "blue", "unscored"}
        assert (category["red"], category["blue"]) == REPORT[category["category"]]
        assert category["unscored"] == []
        assert [r["rank"] for r in category["ranking"]] == sorted(r["rank"] for r in category["ranking"])
        assert all(
            set(r) == {"rank", "branch", "total"} and re.fullmatch(r"\d+\.\d\d", r["total"])
            for r in category["ranking"]
        )
    assert data["categories"][0]["ranking"][1] == {"rank": 2, "branch": "城区分公司党支部", "total": "98.00"}
    assert data["adjustments"] == [
        {"branch": "白银变电运检中心党支部", "board": "red", "points": "1.50"},
        {"branch": "平川区供电公司党总支", "board": "blue", "points": "-1.50"},
        {"branch": "电力调度中心党总支部", "board": "red", "points": "1.50"},
        {"branch": "鸿运物业分公司党支部", "board": "blue", "points": "-1.50"},
        {"branch": "财务部党支部", "board": "red", "points": "0.00"},
        {"branch": "营销部党支部", "board": "blue", "points": "-0.50"},
    ]


def page_numbers(client, user) -> tuple[list, list]:
    client.force_login(user)
    html = client.get("/boards/2019Q1/").content.decode()
    ranking = [
        (name, int(rank), total)
        for name, rank, total in re.findall(r'data-branch="([^"]+)" data-rank="(\d+)" data-total="([^"]+)"', html)
    ]
    boards = re.findall(
        r'data-branch="([^"]+)" data-board="(red|blue)" data-total="([^"]+)" data-points="([^"]+)"', html
    )
    return ranking, boards


@pytest.mark.parametrize("published", [False, True])
def test_the_json_agrees_with_the_page(client, demo, published):
    if published:
        call_command("board", "--quarter", "2019Q1", "--publish", stdout=StringIO())
    data = board_json()
    assert data["published"] is published
    ranking, boards = page_numbers(client, demo.users["dangjian"])
    assert ranking == [(r["branch"], r["rank"], r["total"]) for c in data["categories"] for r in c["ranking"]]
    totals = {r["branch"]: r["total"] for c in data["categories"] for r in c["ranking"]}
    assert boards == [(a["branch"], a["board"], totals[a["branch"]], a["points"]) for a in data["adjustments"]]


def test_publish_from_the_command_does_what_the_button_does(demo, django_capture_on_commit_callbacks):
    from branches.models import Branch

    Branch.objects.filter(name="平川区供电公司党总支").update(secretary=demo.users["shuji"])
    with django_capture_on_commit_callbacks(execute=True):
        data = board_json("--publish", "--user", "dangjian")
    assert data["published"] is True
    quarter = Quarter.objects.get(code="2019Q1")
    assert quarter.is_published and quarter.published_by.username == "dangjian"
    assert BoardEntry.objects.filter(quarter=quarter).count() == 32
    assert Notice.objects.filter(user=demo.users["shuji"], message__contains="列入蓝榜").exists()


def test_publish_defaults_to_the_first_dept_user(demo):
    call_command("board", "--quarter", "2019Q1", "--publish", stdout=StringIO())
    assert Quarter.objects.get(code="2019Q1").published_by.username == "dangjian"


def test_publish_from_the_command_makes_the_same_checks(demo):
    with pytest.raises(CommandError, match="只有党建部"):
        call_command("board", "--quarter", "2019Q1", "--publish", "--user", "lingdao", stdout=StringIO())
    with pytest.raises(CommandError, match="用户 nobody 不存在"):
        call_command("board", "--quarter", "2019Q1", "--publish", "--user", "nobody", stdout=StringIO())
    call_command("board", "--quarter", "2019Q1", "--publish", stdout=StringIO())
    with pytest.raises(CommandError, match="不能重复发布"):
        call_command("board", "--quarter", "2019Q1", "--publish", stdout=StringIO())


def test_publish_is_refused_with_unscored_branches(demo):
    from scoring.models import Score

    Score.objects.filter(sheet__quarter__code="2019Q1", sheet__branch__name="营销部党支部").first().delete()
    assert board_json()["categories"][2]["unscored"] == ["营销部党支部"]
    with pytest.raises(CommandError, match="未完成评分：营销部党支部"):
        call_command("board", "--quarter", "2019Q1", "--publish", stdout=StringIO())
    assert not BoardEntry.objects.filter(quarter__code="2019Q1").exists()


def test_an_unknown_quarter_is_an_error(db):
    with pytest.raises(CommandError, match="季度 2001Q1 不存在"):
        call_command("board", "--quarter", "2001Q1", stdout=StringIO())


def test_the_text_output_lists_both_boards(demo):
    out = StringIO()
    call_command("board", "--quarter", "2019Q1", stdout=out)
    text = out.getvalue()
    assert "2019Q1 红蓝榜 · 预览（未发布）" in text
    assert "红榜：白银变电运检中心党支部" in text and "蓝榜：营销部党支部" in text
    assert "营销部党支部  蓝榜 -0.50" in text and "白银变电运检中心党支部  红榜 +1.50" in text

"""The branch whose trend the dashboard draws is chosen by name, not from a list of every branch:
a search box (with a short list of suggestions from the server while typing) that works as a
plain form without script."""

from __future__ import annotations

import pytest

from boards.models import BoardEntry
from branches.models import Branch

pytestmark = pytest.mark.django_db


def test_the_page_lists_no_branches_to_choose_from(client, demo):
    client.force_login(demo.users["lingdao"])
    content = client.get("/boards/dashboard/?branch=0").content.decode()
    form = content.split('id="dashboard-filters"')[1].split("</form>")[0]
    assert '<input type="hidden" name="branch"' in form and form.count("<option") == 4  # the categories only
    assert '<label class="visually-hidden" for="dashboard-branch-q">' in content  # labelled, in Chinese
    assert 'role="combobox"' in content and 'data-lookup="/boards/dashboard/branches/"' in content
    assert "/static/js/branch-search.js" in content and "<script>" not in content
    assert 'id="dashboard-branch-section"' not in content


def test_a_name_found_once_shows_its_trend(client, demo):
    client.force_login(demo.users["lingdao"])
    response = client.get("/boards/dashboard/?branch_q=平川")
    content = response.content.decode()
    assert response.context["branch"] == Branch.objects.get(name="平川区供电公司党总支")
    assert 'id="dashboard-branch-section"' in content and 'id="dashboard-branch-matches"' not in content
    assert 'value="平川"' in content  # the text searched stays in the box


def test_a_name_found_several_times_lists_them_to_choose(client, demo):
    client.force_login(demo.users["lingdao"])
    response = client.get("/boards/dashboard/?category=2&branch_q=党支部")
    content = response.content.decode()
    assert response.context["branch"] is None and 'id="dashboard-branch-section"' not in content
    matches = response.context["matches"]
    assert 1 < len(matches) <= 20 and all(m.category == "2" and "党支部" in m.name for m in matches)
    assert (
        f'href="?category=2&amp;branch={matches[0].pk}"' in content
        or f'href="?category=2&branch={matches[0].pk}"' in content
    )


def test_a_name_not_found_says_so(client, demo):
    client.force_login(demo.users["lingdao"])
    content = client.get("/boards/dashboard/?branch_q=不存在的支部").content.decode()
    assert "没有名称包含“不存在的支部”的党组织" in content and 'id="dashboard-branch-section"' not in content


def test_the_lookup_returns_a_short_list_as_json(client, demo):
    client.force_login(demo.users["jiancha1"])
    data = client.get("/boards/dashboard/branches/?q=党支部").json()["results"]
    assert 1 < len(data) <= 20
    assert set(data[0]) == {"id", "name", "category", "unit"} and all("党支部" in r["name"] for r in data)
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    assert client.get("/boards/dashboard/branches/?q=平川").json()["results"][0]["id"] == pingchuan.pk
    assert client.get("/boards/dashboard/branches/?q=").json() == {"results": []}
    assert client.get("/boards/dashboard/branches/?q=党支部&category=3").json()["results"][0]["category"] == "Ⅲ类"


def test_the_lookup_needs_a_login(client, demo):
    assert client.get("/boards/dashboard/branches/?q=平川").status_code == 302


def test_the_search_finds_the_name_as_published(client, demo):
    branch = Branch.objects.get(name="平川区供电公司党总支")
    branch.name = "平川区供电公司党委"
    branch.save()
    client.force_login(demo.users["lingdao"])
    assert client.get("/boards/dashboard/branches/?q=平川区供电公司党委").json()["results"] == []
    assert client.get("/boards/dashboard/branches/?q=平川").json()["results"][0]["name"] == "平川区供电公司党总支"


def test_the_unit_filter_takes_a_part_of_the_units_name(client, demo):
    client.force_login(demo.users["lingdao"])
    unit = Branch.objects.get(name="平川区供电公司党总支").unit
    content = client.get(f"/boards/dashboard/?unit_q={unit.name[:4]}&branch=0").content.decode()
    assert 'data-branch="平川区供电公司党总支"' in content
    published = BoardEntry.objects.filter(quarter__code="2018Q4", unit_name__contains=unit.name[:4])
    assert content.count('<tr data-branch="') == published.count() < 32

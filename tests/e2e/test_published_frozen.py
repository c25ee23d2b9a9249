"""Headless Chromium: a published board and branch page still show the branch as published after
it is renamed, moved to Ⅲ类 and deactivated."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "白银变电运检中心党支部"


def test_a_renamed_and_recategorised_branch_keeps_its_published_name_and_place(page, live_server):
    from django.core.management import call_command

    from boards.services import quarter_publish
    from branches.models import Branch, User
    from scoring.models import Quarter

    call_command("seed_demo", "--company-only", verbosity=0)
    quarter_publish(quarter=Quarter.objects.get(code="2019Q1"), user=User.objects.get(username="dangjian"))
    branch = Branch.objects.get(name=NAME)
    Branch.objects.filter(pk=branch.pk).update(name="变电运检中心党支部（新）", category="3", is_active=False)

    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/")
    red = page.locator(".board-red [data-branch]").evaluate_all("els => els.map(e => e.dataset.branch)")
    assert red[0] == NAME
    assert page.get_by_text("（新）").count() == 0
    screenshot(page, "frozen_board_2019Q1")

    page.goto(f"{live_server.url}/boards/branch/{branch.pk}/?quarter=2019Q1")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == NAME
    assert page.locator("#branch-rank").inner_text().startswith("1")
    assert "Ⅰ类" in page.locator("p.text-muted").first.inner_text()
    screenshot(page, "frozen_branch_2019Q1")

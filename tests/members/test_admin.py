"""The admin shows the member points ledger but never edits it (the secretary keeps it on the portal)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_ledger_but_does_not_edit_it(client, admin_user):
    client.force_login(admin_user)
    for url in ("/admin/members/partymember/", "/admin/members/memberpoint/", "/admin/members/memberranking/"):
        assert client.get(url).status_code == 200, url
        assert client.get(url + "add/").status_code == 403, url

"""The "使用统一身份认证登录" button, the whole authorisation-code flow in Chromium against a real
OpenID Connect provider (django-oidc-provider under gunicorn, tests/accounts/provider.py): the person
signs in at the provider and lands on the portal home with the roles of the claim; a role taken away
at the provider is gone at the next sign-in."""

from __future__ import annotations

import pytest

from baiyin_eval.settings.auth import authentication_backends, oidc_settings
from branches import roles
from branches.models import User
from tests import factories
from tests.accounts.provider import start_provider
from tests.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Provider-Pass-2019"


@pytest.fixture
def provider(live_server, tmp_path, settings):
    pytest.importorskip("oidc_provider", reason="django-oidc-provider not installed (requirements-dev.txt)")
    op = start_provider(
        tmp_path / "provider",
        redirect_uri=f"{live_server.url}/accounts/oidc/callback/",
        people=[{"username": "zhaoliu", "password": PASSWORD, "name": "赵六", "roles": [roles.DEPT]}],
    )
    try:
        for name, value in oidc_settings(op.environ()).items():
            setattr(settings, name, value)
        settings.OIDC_ENABLED = True
        settings.AUTHENTICATION_BACKENDS = authentication_backends(ldap=False, oidc=True)
        yield op
    finally:
        op.stop()


def sign_in_with_the_button(page, live_server, provider, *, password: str | None = None) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="使用统一身份认证登录").click()
    if password is not None:  # the first time the provider asks; afterwards its session answers
        page.wait_for_url(f"{provider.url}/login/**")
        page.fill("input[name=username]", "zhaoliu")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def portal_roles(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_the_button_signs_in_at_the_provider_and_the_roles_follow_the_claim(page, live_server, provider):
    factories.QuarterFactory(code="2019Q1")
    page.goto(f"{live_server.url}/login/")
    assert page.get_by_role("link", name="使用统一身份认证登录").is_visible()
    screenshot(page, "login_oidc_button")

    sign_in_with_the_button(page, live_server, provider, password=PASSWORD)
    assert page.locator("h1").inner_text() == "您好，赵六"
    assert page.get_by_role("link", name="检查组与分配").is_visible()  # 党建部's home
    screenshot(page, "home_after_oidc")
    assert portal_roles("zhaoliu") == {roles.DEPT}
    user = User.objects.get(username="zhaoliu")
    assert user.email == "zhaoliu@baiyin.test" and not user.has_usable_password()

    provider.set_roles("zhaoliu", roles.LEADER)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/login/")
    sign_in_with_the_button(page, live_server, provider)
    assert portal_roles("zhaoliu") == {roles.LEADER}
    assert page.get_by_role("link", name="检查组与分配").count() == 0
    assert page.goto(f"{live_server.url}/scoring/q/2019Q1/groups/").status in (403, 404)

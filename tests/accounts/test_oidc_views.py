"""The OIDC button and the two OIDC URLs, without a provider (the whole flow: tests/e2e/test_oidc_login.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages

from baiyin_eval.settings.auth import authentication_backends, oidc_settings
from tests.accounts.slapd import free_port
from tests.accounts.test_settings import OIDC

pytestmark = pytest.mark.django_db


@pytest.fixture
def oidc_on(settings):
    for name, value in oidc_settings(OIDC).items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = authentication_backends(ldap=False, oidc=True)


def test_without_oidc_the_login_page_has_no_button_and_the_urls_do_not_exist(client):
    assert "使用统一身份认证登录" not in client.get("/login/").content.decode()
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_with_oidc_the_login_page_has_the_button(client, oidc_on):
    page = client.get("/login/?next=/boards/").content.decode()
    assert "使用统一身份认证登录" in page
    assert 'href="/accounts/oidc/login/?next=/boards/"' in page


def test_the_button_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, oidc_on):
    response = client.get("/accounts/oidc/login/?next=/boards/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == OIDC["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    query = parse_qs(url.query)
    assert query["client_id"] == ["honglanbang"] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/callback/"]
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
    assert client.session["oidc_login_next"] == "/boards/"


def test_a_refusal_by_the_provider_comes_back_to_the_login_page_with_a_message(client, oidc_on):
    response = client.get("/accounts/oidc/callback/?error=access_denied&state=x")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["统一身份认证登录未成功，请重试或联系系统管理员。"]


def test_an_unreachable_provider_is_a_message_not_a_500(client, oidc_on, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/token"  # nothing listens there
    client.get("/accounts/oidc/login/")
    state = next(iter(client.session["oidc_states"]))
    response = client.get(f"/accounts/oidc/callback/?code=abc&state={state}")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "暂时无法连接统一身份认证服务" in str(next(iter(get_messages(response.wsgi_request))))


def hs256_backend(settings):
    from accounts.oidc_backend import OIDCBackend

    settings.OIDC_RP_SIGN_ALGO = "HS256"  # signed with the client secret: no JWKS needed here
    return OIDCBackend()


def id_token(**claims) -> str:
    import time

    import jwt

    body = {"iss": "https://sso.example.cn", "aud": "honglanbang", "exp": int(time.time()) + 300, "nonce": "n1"}
    body.update(claims)
    return jwt.encode(body, OIDC["OIDC_RP_CLIENT_SECRET"], algorithm="HS256")


def test_an_id_token_for_this_client_passes(oidc_on, settings):
    assert hs256_backend(settings).verify_token(id_token(), nonce="n1")["aud"] == "honglanbang"


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-app"}, {"exp": 1_000_000}, {"nonce": "replayed"}, {"iss": "https://evil.example"}],
    ids=["other audience", "expired", "other nonce", "other issuer"],
)
def test_an_id_token_for_someone_else_expired_replayed_or_foreign_is_refused(oidc_on, settings, claims):
    from django.core.exceptions import SuspiciousOperation

    settings.OIDC_OP_ISSUER = "https://sso.example.cn"
    with pytest.raises(SuspiciousOperation):
        hs256_backend(settings).verify_token(id_token(**claims), nonce="n1")


def test_a_callback_with_a_state_this_browser_never_sent_is_a_message_not_an_error(client, oidc_on):
    client.get("/accounts/oidc/login/")
    response = client.get("/accounts/oidc/callback/?code=abc&state=forged")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "统一身份认证登录未成功" in str(next(iter(get_messages(response.wsgi_request))))


def test_the_login_page_reads_nothing_from_the_database(client, oidc_on, django_assert_num_queries):
    # Only ATOMIC_REQUESTS' savepoint and its release (the test runs inside a transaction).
    with django_assert_num_queries(2):
        assert client.get("/login/").status_code == 200


def test_the_roles_an_oidc_sign_in_grants_and_removes_are_audited(oidc_on, settings):
    from accounts.oidc_backend import OIDCBackend
    from audit.models import AuditEvent
    from branches import roles
    from tests.helpers import make_user

    user = make_user(roles.DEPT, username="zhaoliu")
    backend = OIDCBackend()
    claims = {"preferred_username": "zhaoliu", settings.OIDC_ROLES_CLAIM: ["党委领导"]}
    backend.update_user(user, claims)
    backend.update_user(user, claims)  # the same again: nothing to record
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DIRECTORY_SYNC)
    assert [(e.target_id, e.detail) for e in events] == [
        (str(user.pk), {"source": "oidc", "added": roles.LEADER, "removed": roles.DEPT})
    ]

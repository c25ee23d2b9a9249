"""The login page (local and directory passwords) and the OpenID Connect round trip."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts.forms import LoginForm

logger = logging.getLogger("accounts")


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        return context


@require_GET
def oidc_login(request):
    """Sends the browser to the provider (with state, nonce and PKCE). 404 where OIDC is not configured."""
    if not oidc_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. A refusal or an unreachable provider comes back to the login page with a
    message, never a 500."""

    def dispatch(self, request, *args, **kwargs):
        if not oidc_enabled():
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except requests.RequestException as exc:
            logger.error("OIDC provider unreachable: %r", exc)
            messages.error(request, _("暂时无法连接统一身份认证服务，请稍后再试，或使用账号密码登录。"))
            return redirect("login")
        except SuspiciousOperation as exc:
            # A replayed or foreign state, a token for another client, an expired token.
            logger.warning("OIDC sign-in refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, _("统一身份认证登录未成功，请重试或联系系统管理员。"))
        return redirect("login")

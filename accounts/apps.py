from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("统一身份认证")

    def ready(self) -> None:
        from accounts import checks  # noqa: F401  (system checks)

        try:
            from accounts import ldap_backend
        except ImportError:  # python-ldap is optional (requirements-ldap.txt)
            return
        ldap_backend.connect_error_handler()

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("security")
def local_login_off_needs_a_directory(app_configs=None, **kwargs) -> list[Warning]:
    """AUTH_LOCAL_LOGIN=false with neither the directory nor OIDC on leaves only emergency administrators."""
    directory = getattr(settings, "LDAP_ENABLED", False) or getattr(settings, "OIDC_ENABLED", False)
    if getattr(settings, "AUTH_LOCAL_LOGIN", True) or directory:
        return []
    return [
        Warning(
            "AUTH_LOCAL_LOGIN=false, but neither AUTH_LDAP_SERVER_URI nor OIDC_RP_CLIENT_ID is set: "
            "only emergency administrators can sign in.",
            hint="Configure the directory (README: Sign-in) or leave AUTH_LOCAL_LOGIN on.",
            id="accounts.W001",
        )
    ]

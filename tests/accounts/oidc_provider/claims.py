from __future__ import annotations

from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims: dict, user) -> dict:
    claims["name"] = user.first_name
    claims["preferred_username"] = user.username
    claims["email"] = user.email
    return claims


class PortalScopeClaims(ScopeClaims):
    """The `roles` scope: the person's groups at the provider, by name (the portal's role names)."""

    info_roles = ("角色", "您在红蓝榜中的角色。")

    def scope_roles(self) -> dict:
        return {"roles": sorted(self.user.groups.values_list("name", flat=True))}

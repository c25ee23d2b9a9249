"""OpenID Connect sign-in (mozilla-django-oidc), configured by OIDC_* (settings/auth.py).

The account is matched by OIDC_USERNAME_CLAIM (preferred_username), so a person signing in by LDAP or
OIDC is the same portal user; name and e-mail come from the claims, the roles from OIDC_ROLES_CLAIM
at every sign-in (added and removed), the branch from OIDC_BRANCH_CLAIM when set.
"""

from __future__ import annotations

import logging

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.services import user_sync_from_directory
from baiyin_eval.settings.auth import ROLE_NAMES

logger = logging.getLogger("accounts")


def claim_values(value) -> set[str]:
    """A claim holding a list, or one string of space- or comma-separated values."""
    if value is None:
        return set()
    if isinstance(value, str):
        return {part for part in value.replace(",", " ").split() if part}
    return {str(part) for part in value}


class OIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token, **kwargs):
        """The library checks the signature and the nonce; an ID token must also be meant for us
        (aud), unexpired (PyJWT raises anything but DecodeError past the library) and, when
        OIDC_OP_ISSUER is set, come from that issuer."""
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued for another client")
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        return payload

    def username_from(self, claims: dict) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()

    def verify_claims(self, claims) -> bool:
        username = self.username_from(claims)
        if not username:
            logger.warning("OIDC claims without %s: refused", settings.OIDC_USERNAME_CLAIM)
            return False
        if self.UserModel.objects.filter(username__iexact=username, is_emergency_admin=True).exists():
            logger.warning("OIDC sign-in as emergency administrator %s refused", username)
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username__iexact=self.username_from(claims))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(self.username_from(claims), email=claims.get("email") or "")
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.name = str(claims.get(settings.OIDC_NAME_CLAIM) or user.name)[:50]
        user.email = claims.get("email") or user.email
        user.save(update_fields=["name", "email"])
        values = getattr(settings, "OIDC_ROLE_VALUES", {}) or {role: role for role in ROLE_NAMES}
        granted_values = claim_values(claims.get(settings.OIDC_ROLES_CLAIM))
        branch_claim = getattr(settings, "OIDC_BRANCH_CLAIM", "")
        user_sync_from_directory(
            user=user,
            roles={role for role, value in values.items() if value in granted_values},
            managed_roles=values,
            branch_name=str(claims.get(branch_claim) or "") if branch_claim else None,
            source="oidc",
        )
        return user

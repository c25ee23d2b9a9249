"""Local passwords (the embedded default, the demo, emergency administrators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalAccountBackend(ModelBackend):
    """Django's password check; with AUTH_LOCAL_LOGIN=false only emergency administrators pass.

    A session opened with a local password also ends once local sign-in is switched off
    (get_user goes through the same check)."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return bool(getattr(settings, "AUTH_LOCAL_LOGIN", True) or getattr(user, "is_emergency_admin", False))

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import DirectoryUnavailable


class LoginForm(AuthenticationForm):
    """The one login form, for local and directory accounts alike."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "directory_unavailable": _("暂时无法连接统一身份认证目录，请稍后再试。如需紧急处理，请联系系统管理员。"),
    }

    def clean(self):
        try:
            return super().clean()
        except DirectoryUnavailable:
            # accounts.ldap_backend has logged the directory's error.
            raise ValidationError(self.error_messages["directory_unavailable"], code="directory_unavailable") from None

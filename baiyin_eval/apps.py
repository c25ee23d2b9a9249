"""App configurations that give third-party apps a Chinese name in the admin."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录防护")

    def ready(self):
        super().ready()
        # The project's own deployment checks (baiyin_eval is not an app; this config is ours).
        from baiyin_eval import checks  # noqa: F401

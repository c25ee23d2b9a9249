from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """All spreadsheet work in one place: write-only exports and the parsing of untrusted uploads."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("报表与导入")

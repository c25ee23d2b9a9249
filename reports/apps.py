from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """All spreadsheet work in one place: write-only exports and the parsing of untrusted uploads."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("报表与导入")

    def ready(self):
        from baiyin_eval.request_size import file_route_register
        from reports import safety

        # The workbook imports take a file of up to safety.MAX_UPLOAD_BYTES (baiyin_eval.request_size).
        for route in (
            "reports:import_scores",
            "reports:import_branches",
            "reports:import_users",
            "reports:import_units",
        ):
            file_route_register(route, lambda: safety.MAX_UPLOAD_BYTES)

        from branches import home
        from reports import selectors

        home.register(selectors.home_cards, order=60)

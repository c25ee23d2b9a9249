from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupConfig(AppConfig):
    """单位汇总: the published boards of every evaluating unit below one unit, side by side."""

    name = "rollup"
    verbose_name = _("单位汇总")

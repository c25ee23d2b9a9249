from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupConfig(AppConfig):
    """单位汇总: the published boards of every evaluating unit below one unit, side by side."""

    name = "rollup"
    verbose_name = _("单位汇总")

    def ready(self) -> None:
        from boards import publication_parts
        from rollup.selectors.summaries import summary_store_at_publication

        publication_parts.register("rollup.summary", summary_store_at_publication)

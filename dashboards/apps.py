from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("积分看板")

    def ready(self):
        from boards import publication_parts
        from branches import home
        from dashboards import selectors
        from dashboards.services import overview_figures_store

        home.register(selectors.home_cards, order=40)
        # The overview's counts over the quarter, stored with its publication: no reader pays them.
        publication_parts.register("dashboards.overview", overview_figures_store)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("积分看板")

    def ready(self):
        from branches import home
        from dashboards import selectors

        home.register(selectors.home_cards, order=40)

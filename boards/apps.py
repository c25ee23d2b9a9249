from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("红蓝榜")

    def ready(self):
        from boards import followups, home, services
        from branches import home as branches_home

        branches_home.register(home.home_cards, order=30)
        followups.register(
            "boards.services.secretaries_notify", label=_("通知各党组织书记"), run=services.secretaries_notify
        )

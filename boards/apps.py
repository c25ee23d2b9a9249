from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = _("红蓝榜")

    def ready(self):
        from boards import followups, home, services
        from branches import home as branches_home

        branches_home.register(home.home_cards, order=30)

        from boards.selectors.board import quarter_setup_part
        from scoring import pages as scoring_pages

        # scoring's quarter pages show publication's follow-ups and the adjustment table (scoring.pages).
        scoring_pages.register(scoring_pages.QUARTER, followups.quarter_page_part)
        scoring_pages.register(scoring_pages.QUARTER_SETUP, quarter_setup_part)
        followups.register(
            "boards.services.secretaries_notify", label=_("通知各党组织书记"), run=services.secretaries_notify
        )

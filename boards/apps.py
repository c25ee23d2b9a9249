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

        # Still in boards until their own apps exist (issue 16: ratings/, fairness/);
        # each registers from its own AppConfig.ready() once moved. The names are the FollowUp rows'
        # keys, kept as they were so that jobs written earlier keep their labels.
        from boards import fairness_services, star_services

        followups.register(
            "boards.star_services.star_ratings_store", label=_("星级党支部评定"), run=star_services.star_ratings_store
        )
        followups.register(
            "boards.fairness_services.severity_report_store",
            label=_("评分宽严情况报告"),
            run=fairness_services.severity_report_store,
        )

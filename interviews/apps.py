from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("约谈与整改")

    def ready(self):
        from baiyin_eval.request_size import file_route_register
        from interviews.evidence import max_bytes

        file_route_register("interviews:evidence_add", max_bytes)

        from boards import followups
        from branches import home
        from interviews import selectors, services

        home.register(selectors.home_cards, order=50)
        followups.register(
            "interviews.services.interviews_create_for_quarter",
            label=_("建立蓝榜约谈和整改清单"),
            run=services.interviews_create_for_quarter,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("约谈与整改")

    def ready(self):
        from baiyin_eval.request_size import file_route_register
        from interviews.evidence import max_bytes

        file_route_register("interviews:evidence_add", max_bytes)

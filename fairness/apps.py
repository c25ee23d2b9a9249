from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairnessConfig(AppConfig):
    """检查组评分宽严度: the severity report across inspection groups and the calibration pages."""

    name = "fairness"
    verbose_name = _("评分宽严度")

    def ready(self):
        from boards import followups
        from fairness import services

        # The name is the FollowUp rows' key from before the move to fairness/ (boards.followups:
        # a job keeps its name), so jobs written earlier still run and keep their label.
        followups.register(
            "boards.fairness_services.severity_report_store",
            label=_("评分宽严情况报告"),
            run=services.severity_report_store,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """星级党支部: star levels (the rule 党建部 edits) and the ratings stored at publication."""

    name = "ratings"
    verbose_name = _("星级党支部")

    def ready(self):
        from boards import followups
        from ratings import services

        # The name is the FollowUp rows' key from before the move to ratings/ (boards.followups:
        # a job keeps its name), so jobs written earlier still run and keep their label.
        followups.register(
            "boards.star_services.star_ratings_store", label=_("星级党支部评定"), run=services.star_ratings_store
        )

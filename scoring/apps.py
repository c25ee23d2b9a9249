from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("考核与评分")

    def ready(self):
        from branches.category_locks import category_lock_register
        from scoring.selectors import scoring_category_lock

        # While a quarter including a branch is being scored, its category cannot change (admin form).
        category_lock_register(scoring_category_lock)

        from branches.units import branch_move_check_register
        from scoring.units import open_quarter_for_move

        # Nor can a branch leave or join an evaluating unit while one of the two is scoring a quarter.
        branch_move_check_register(open_quarter_for_move)

        from branches import home
        from scoring import home as scoring_home

        home.register(scoring_home.home_cards, order=20)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def refuse_user_deletion(sender, instance, **kwargs):
    from branches.models import AccountDeletionRefused

    raise AccountDeletionRefused


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("党组织与用户")

    def ready(self):
        from django.db.models.signals import pre_delete, pre_save

        from branches.models import User
        from branches.text import strip_hidden_on_save

        # Free text is plain text: hidden characters (bidi overrides, zero-width) removed on save.
        pre_save.connect(strip_hidden_on_save, dispatch_uid="branches.strip_hidden_on_save")
        # Whatever path a deletion takes (a cascade, a command, the shell), an account is never deleted.
        pre_delete.connect(refuse_user_deletion, sender=User, dispatch_uid="branches.refuse_user_deletion")

        from branches import home, selectors

        home.register(selectors.home_cards, order=10)

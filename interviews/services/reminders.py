"""Reminders of items due within a week or overdue: claimed once a day, mailed after commit."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.services import notice_mail, notice_send
from interviews.models import (
    Reminder,
)
from interviews.selectors import items_to_remind
from interviews.services.items import recipient_id


def reminders_send(*, today: datetime.date | None = None) -> list[Reminder]:
    """Remind the responsible secretary of every open item due within REMIND_DAYS or overdue.

    One reminder per item per day at most: the (item, day) row is claimed first, inside its own
    transaction, and the notice is left only by whoever claimed it; its e-mail leaves after that
    transaction commits (never for a claim rolled back).
    """
    today = today or timezone.localdate()
    sent = []
    for item in items_to_remind(today):
        user_id = recipient_id(item)
        if not user_id or item.deadline is None:  # items_to_remind returns only items with a deadline
            continue
        kind = Reminder.Kind.OVERDUE if item.deadline < today else Reminder.Kind.DUE_SOON
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                item=item, sent_on=today, defaults={"user_id": user_id, "kind": kind}
            )
            if not created:
                continue
            if kind == Reminder.Kind.OVERDUE:
                message = _("整改事项“%(item)s”已逾期（完成时限 %(deadline)s），请尽快完成并报告进展。")
            else:
                message = _("整改事项“%(item)s”将于 %(deadline)s 到期，请按时完成并上传佐证材料。")
            text = message % {"item": item.description[:60], "deadline": item.deadline.isoformat()}
            url = item.get_absolute_url()
            notice = notice_send(user_id=user_id, message=text, url=url)
            # The mail goes once the reminder is committed: a rolled-back claim sends nothing.
            transaction.on_commit(partial(notice_mail, user=notice.user, message=text, url=url), robust=True)
        sent.append(reminder)
    return sent

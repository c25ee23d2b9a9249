"""The dashboards' card on the home page."""

from __future__ import annotations

from branches.models import Branch
from scoring.models import Quarter

# --- home page ------------------------------------------------------------------------------------


def home_cards(user) -> list:
    """The dashboard's card: the user's branch's star rating, and the way to the dashboards.
    Three queries at most, whatever the data."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from branches import roles
    from branches.home import HomeCard
    from branches.units import home_unit
    from ratings.rules import stars_text
    from ratings.selectors import yearly_ratings

    if not Quarter.objects.published().exists():
        return []
    lines = [_("各党组织历次总分、名次与星级，及本类平均走势。")]
    links = [(_("党支部积分看板"), reverse("dashboards:dashboard"))]
    if user.branch_id:
        ratings = yearly_ratings(user.branch_id)
        if ratings:
            lines.append(
                _("本组织星级：%(year)s年度 %(stars)s")
                % {"year": ratings[0].year, "stars": stars_text(ratings[0].stars)}
            )
    home = home_unit(user)
    if roles.can_read_everything(user) and (home is None or home.is_evaluating):  # a province has none of its own
        links.append((_("党委总览"), reverse("dashboards:overview")))
    keeps = Branch.objects.filter(secretary_id=user.pk).values_list("pk", flat=True).first()
    if keeps and roles.has_role(user, roles.SECRETARY):
        links.append((_("党员积分"), reverse("members:member_points", args=[keeps])))
    return [HomeCard(title=_("积分看板与星级党支部"), lines=lines, links=links, tone="warning")]

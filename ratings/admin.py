from __future__ import annotations

from django.contrib import admin

from boards.admin import ReadOnlyAdmin
from ratings.models import StarLevel, StarRating


@admin.register(StarLevel)
class StarLevelAdmin(ReadOnlyAdmin):
    """Edited on the portal's 星级评定标准 page (ratings:stars)."""

    list_display = ["stars", "min_average", "no_blue", "updated_by", "updated_at"]


@admin.register(StarRating)
class StarRatingAdmin(ReadOnlyAdmin):
    """Computed when a quarter is published; a record, never edited."""

    list_display = ["quarter", "branch", "stars", "average", "quarters_counted", "blue_count"]
    list_filter = ["quarter", "year", "stars"]
    search_fields = ["branch__name"]
    list_select_related = ["quarter", "branch"]

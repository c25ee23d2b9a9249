"""The star rating's window is the rated quarter's own evaluating unit's published quarters (issue
17): with two units publishing the same quarters, a branch's rating counts its unit's last four,
not whichever units published last."""

from __future__ import annotations

import pytest

from branches import units
from ratings.selectors import window_quarters
from scoring.models import Quarter
from scoring.services import quarter_create

pytestmark = pytest.mark.django_db


def test_the_window_is_the_units_own_published_quarters():
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    cities = [units.unit_create(name=n, parent=province, is_evaluating=True) for n in ("白银", "天水")]
    codes = ["2019Q1", "2019Q2", "2019Q3", "2019Q4", "2020Q1"]
    made = {(city.pk, code): quarter_create(code=code, unit=city) for city in cities for code in codes}
    Quarter.objects.filter(pk__in=[q.pk for q in made.values()]).update(status=Quarter.Status.PUBLISHED)
    rated = Quarter.objects.get(pk=made[(cities[0].pk, "2020Q1")].pk)
    window = window_quarters(rated)
    assert [q.code for q in window] == ["2019Q2", "2019Q3", "2019Q4", "2020Q1"]
    assert {q.unit_id for q in window} == {cities[0].pk}

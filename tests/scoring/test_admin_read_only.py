"""Nothing changes a score outside the services: in the Django admin, scores, score changes,
problems, board rows and published quarters are read-only for every account, superusers
included; the indicator admin refuses a frozen scheme with a form error, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from boards.models import BoardEntry, BoardScore, PublishedIndicator
from scoring.models import Indicator, Problem, Quarter, Score, ScoreChange, ScoreSheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(admin_user):
    """One row of each protected model, from the demo (2018Q4 is published)."""
    call_command("seed_demo", "--company-only", verbosity=0)
    published = Quarter.objects.get(code="2018Q4")
    score = Score.objects.filter(sheet__quarter=published, value__isnull=False).first()
    sheet = score.sheet
    change = ScoreChange.objects.create(
        sheet=sheet, indicator=score.indicator, field=ScoreChange.Field.SCORE, old="8.0", new="9.0", user=admin_user
    )
    return {
        "score": score,
        "scorechange": change,
        "problem": Problem.objects.filter(sheet__quarter=published).first()
        or Problem.objects.create(sheet=sheet, indicator=score.indicator, description="三会一课落实不到位"),
        "boardentry": BoardEntry.objects.filter(quarter=published).first(),
        "boardscore": BoardScore.objects.filter(quarter=published).first(),
        "publishedindicator": PublishedIndicator.objects.filter(quarter=published).first(),
        "quarter": published,
    }


APPS = {
    "score": "scoring",
    "scorechange": "scoring",
    "problem": "scoring",
    "boardentry": "boards",
    "quarter": "scoring",
}


def _snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("model", list(APPS))
def test_a_superuser_cannot_delete_change_or_add_it_in_the_admin(client, admin_user, records, model):
    obj = records[model]
    before = _snapshot(obj)
    count = type(obj).objects.count()
    base = f"/admin/{APPS[model]}/{model}/"
    client.force_login(admin_user)

    assert client.get(f"{base}{obj.pk}/change/").status_code == 200  # still viewable
    assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    changed = {k: v for k, v in before.items() if k != "id" and v is not None}
    assert client.post(f"{base}{obj.pk}/change/", changed).status_code == 403
    assert client.post(f"{base}add/", changed).status_code == 403

    assert _snapshot(obj) == before
    assert type(obj).objects.count() == count


@pytest.mark.parametrize("model", list(APPS))
def test_the_bulk_delete_action_is_absent(client, admin_user, records, model):
    obj = records[model]
    count = type(obj).objects.count()
    base = f"/admin/{APPS[model]}/{model}/"
    client.force_login(admin_user)

    page = client.get(base)
    assert page.status_code == 200
    assert b"delete_selected" not in page.content

    client.post(base, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert type(obj).objects.count() == count


def test_a_quarter_being_scored_cannot_be_deleted_it_holds_scores(client, admin_user, records):
    scoring = Quarter.objects.get(code="2019Q1")
    assert ScoreSheet.objects.filter(quarter=scoring).exists()
    client.force_login(admin_user)
    assert client.post(f"/admin/scoring/quarter/{scoring.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Quarter.objects.filter(pk=scoring.pk).exists()


def test_adding_an_indicator_to_a_frozen_scheme_is_a_form_error(client, admin_user, records):
    frozen = Quarter.objects.get(code="2019Q1")
    assert frozen.scheme_is_frozen
    count = Indicator.objects.filter(quarter=frozen).count()
    client.force_login(admin_user)
    response = client.post(
        "/admin/scoring/indicator/add/",
        {"quarter": frozen.pk, "category": "", "code": "X9", "name": "新增指标", "max_score": "5", "position": "9"},
    )
    assert response.status_code == 200
    assert "已开始评分，考核指标不能再增加或修改" in response.content.decode()
    assert Indicator.objects.filter(quarter=frozen).count() == count


def test_an_indicator_of_a_quarter_in_preparation_can_still_be_added(client, admin_user, records):
    from scoring.services import quarter_create

    preparing = quarter_create(code="2031Q1")
    client.force_login(admin_user)
    response = client.post(
        "/admin/scoring/indicator/add/",
        {"quarter": preparing.pk, "category": "", "code": "X9", "name": "新增指标", "max_score": "5", "position": "9"},
    )
    assert response.status_code == 302
    assert Indicator.objects.get(quarter=preparing, code="X9").max_score == Decimal("5")


def test_a_frozen_indicator_cannot_be_changed_or_deleted(client, admin_user, records):
    indicator = Indicator.objects.filter(quarter__code="2018Q4").first()
    client.force_login(admin_user)
    base = f"/admin/scoring/indicator/{indicator.pk}/"
    assert client.get(f"{base}change/").status_code == 200
    assert client.post(f"{base}delete/", {"post": "yes"}).status_code == 403
    assert (
        client.post(
            f"{base}change/",
            {"quarter": indicator.quarter_id, "code": indicator.code, "name": "改名", "max_score": "1", "position": 0},
        ).status_code
        == 403
    )
    indicator.refresh_from_db()
    assert indicator.name != "改名"

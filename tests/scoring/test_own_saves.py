"""The score sheet never cries wolf on the server side: the editor's own saves are no conflict,
full-width digits are the same score, and a 409 names only the others."""

from __future__ import annotations

from decimal import Decimal

import pytest

from branches import roles
from scoring.models import Score, ScoreChange
from scoring.services import ScoreEntry, StaleSheet, sheet_save
from tests.helpers import make_user
from tests.scoring.helpers import sheet_post

pytestmark = pytest.mark.django_db


def save_url(sheet) -> str:
    return f"/scoring/sheets/{sheet.pk}/save/"


def test_full_width_digits_are_saved_as_the_same_score(client, world):
    client.force_login(world.alice)
    response = client.post(
        save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S1": "９.５", "S2": "１０．０"})
    )
    assert response.status_code == 302
    values = {s.indicator.code: s.value for s in Score.objects.select_related("indicator")}
    assert values == {"S1": Decimal("9.5"), "S2": Decimal("10.0")}
    world.sheet.refresh_from_db()
    # Typed again in full width: no change, nothing recorded.
    before = ScoreChange.objects.count()
    client.post(save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S1": "9.5", "S2": "10"}))
    assert ScoreChange.objects.count() == before


def test_a_save_overtaken_only_by_the_editors_own_saves_goes_through(client, world):
    """A draft restored from this browser after the same inspector saved elsewhere: no 409."""
    client.force_login(world.alice)
    opened_at = world.sheet.version
    sheet_save(
        sheet=world.sheet,
        actor=world.alice,
        base_version=opened_at,
        entries={world.indicators[2].pk: ScoreEntry(value=Decimal("7"))},
    )
    response = client.post(
        save_url(world.sheet),
        sheet_post(world.sheet, world.indicators, values={"S1": "９.５", "S3": "7.0"}, version=opened_at),
    )
    assert response.status_code == 302
    assert "草稿已保存" in client.get(response["Location"]).content.decode()
    values = {s.indicator.code: s.value for s in Score.objects.select_related("indicator")}
    assert values == {"S1": Decimal("9.5"), "S3": Decimal("7.0")}


def test_a_409_names_the_others_and_never_the_editor_himself(client, world):
    carol = make_user(roles.INSPECTOR, username="carol", name="何丽", branch=world.home_b)
    world.group_a.members.add(carol)
    s1, s2 = world.indicators[0], world.indicators[1]
    opened_at = world.sheet.version
    sheet_save(sheet=world.sheet, actor=world.alice, base_version=opened_at, entries={s2.pk: ScoreEntry(Decimal("8"))})
    world.sheet.refresh_from_db()
    sheet_save(
        sheet=world.sheet, actor=carol, base_version=world.sheet.version, entries={s1.pk: ScoreEntry(Decimal("11"))}
    )
    with pytest.raises(StaleSheet) as error:
        sheet_save(sheet=world.sheet, actor=world.alice, base_version=opened_at, entries={})
    assert {c.user.username for c in error.value.changes} == {"carol"}

    client.force_login(world.alice)
    response = client.post(
        save_url(world.sheet),
        sheet_post(world.sheet, world.indicators, values={"S1": "９", "S2": "8"}, version=opened_at),
    )
    assert response.status_code == 409
    warning = response.content.decode().split('id="stale-warning"')[1].split("</div>")[0]
    assert "何丽" in warning and "S1 组织建设标准化 · 得分：（空） → 11.0" in warning
    assert "王磊" not in warning  # alice's own earlier save is not listed against her
    assert "S2" not in warning
    assert Score.objects.get(indicator=s1).value == Decimal("11")  # nothing of alice's went in


def test_the_merge_after_a_409_reads_full_width_digits_as_the_same_score(client, world):
    """Alice left S2 as it was ("８" on her screen is 8.0): after carol's save of S1 it is not a
    conflict of hers, and S2 takes no 'both changed' flag."""
    carol = make_user(roles.INSPECTOR, username="carol", name="何丽", branch=world.home_b)
    world.group_a.members.add(carol)
    s1, s2 = world.indicators[0], world.indicators[1]
    sheet_save(
        sheet=world.sheet, actor=carol, base_version=world.sheet.version, entries={s2.pk: ScoreEntry(Decimal("8"))}
    )
    world.sheet.refresh_from_db()
    opened_at = world.sheet.version
    sheet_save(
        sheet=world.sheet,
        actor=carol,
        base_version=opened_at,
        entries={s2.pk: ScoreEntry(Decimal("9")), s1.pk: ScoreEntry(Decimal("11"))},
    )
    client.force_login(world.alice)
    response = client.post(
        save_url(world.sheet),
        sheet_post(world.sheet, world.indicators, values={"S2": "８．０", "S3": "7"}, version=opened_at),
    )
    assert response.status_code == 409
    html = response.content.decode()
    row = html.split(f'id="indicator-{s2.pk}"')[0].rsplit("<tr", 1)[1]
    assert "table-warning" not in row  # she did not change S2: it takes carol's 9.0
    assert f'name="score_{s2.pk}" id="id_score_{s2.pk}" value="9.0"' in html


def test_two_tabs_of_one_inspector_never_undo_each_other(client, world):
    """Tab A and tab B opened at the same version; A saves S3, then B saves S1 with S3 left as it was
    opened (empty): B's save keeps A's S3 — a field B did not touch does not undo A — and no 409."""
    client.force_login(world.alice)
    opened_at = world.sheet.version
    tab_a = client.post(
        save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S3": "7"}, version=opened_at)
    )
    assert tab_a.status_code == 302
    tab_b = client.post(
        save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S1": "9.5"}, version=opened_at)
    )
    assert tab_b.status_code == 302
    values = {s.indicator.code: s.value for s in Score.objects.select_related("indicator")}
    assert values == {"S1": Decimal("9.5"), "S3": Decimal("7")}
    # Both tabs changed S1: the later save is what he means (his own, so no warning), S3 still kept.
    world.sheet.refresh_from_db()
    opened_at = world.sheet.version
    client.post(save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S1": "8", "S3": "7"}))
    response = client.post(
        save_url(world.sheet),
        sheet_post(world.sheet, world.indicators, values={"S1": "6", "S3": "7"}, version=opened_at),
    )
    assert response.status_code == 302
    values = {s.indicator.code: s.value for s in Score.objects.select_related("indicator")}
    assert values == {"S1": Decimal("6"), "S3": Decimal("7")}


def test_with_someone_else_too_the_409_keeps_the_editors_other_tab(client, world):
    """Alice's tab A saved S3 and Carol saved S2 since Alice's tab B opened: B's save is a 409 naming
    Carol only, and the form shown again holds A's S3 and Carol's S2, with B's own S1."""
    carol = make_user(roles.INSPECTOR, username="carol", name="何丽", branch=world.home_b)
    world.group_a.members.add(carol)
    opened_at = world.sheet.version
    sheet_save(
        sheet=world.sheet,
        actor=world.alice,
        base_version=opened_at,
        entries={world.indicators[2].pk: ScoreEntry(Decimal("7"))},
    )
    world.sheet.refresh_from_db()
    sheet_save(
        sheet=world.sheet,
        actor=carol,
        base_version=world.sheet.version,
        entries={world.indicators[1].pk: ScoreEntry(Decimal("8"))},
    )
    client.force_login(world.alice)
    response = client.post(
        save_url(world.sheet), sheet_post(world.sheet, world.indicators, values={"S1": "9.5"}, version=opened_at)
    )
    assert response.status_code == 409
    form = response.context["form"]
    s1, s2, s3 = world.indicators[0], world.indicators[1], world.indicators[2]
    assert (form.data[f"score_{s1.pk}"], form.data[f"score_{s2.pk}"], form.data[f"score_{s3.pk}"]) == (
        "9.5",
        "8.0",
        "7.0",
    )
    assert response.context["stale"].conflicts == set()  # nobody else touched S1

"""Two people editing one sheet never silently overwrite each other (optimistic locking)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from branches import roles
from scoring.models import Score, ScoreChange
from scoring.services import AlreadySubmitted, ScoreEntry, StaleSheet, sheet_save
from tests.helpers import make_user
from tests.scoring.helpers import sheet_post


@pytest.fixture
def two_editors(world):
    carol = make_user(roles.INSPECTOR, username="carol", name="何丽", branch=world.home_b)
    world.group_a.members.add(carol)
    return world, carol


@pytest.mark.django_db
def test_a_stale_save_is_refused_with_what_changed_and_saves_nothing(client, two_editors):
    world, carol = two_editors
    s1, s2 = world.indicators[0], world.indicators[1]
    loaded_version = world.sheet.version  # both open the sheet at version 1

    client.force_login(carol)
    client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values={"S1": "11", "S2": "10"}, version=loaded_version),
    )

    client.force_login(world.alice)
    response = client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values={"S1": "9", "S3": "8"}, version=loaded_version),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "保存未生效：在您打开之后，评分表已被他人修改（第 1 版 → 第 2 版）" in html
    assert "何丽" in html and "S1 组织建设标准化 · 得分：（空） → 11.0" in html
    assert "S2 组织生活标准化 · 得分：（空） → 10.0" in html
    # Nothing of Alice's went in.
    assert {s.indicator_id: s.value for s in Score.objects.all()} == {s1.pk: Decimal("11"), s2.pk: Decimal("10")}
    assert set(ScoreChange.objects.values_list("user__username", flat=True)) == {"carol"}
    # The form comes back on the current version: Carol's S2 filled in (Alice left it alone),
    # Alice's own S1 and S3 kept, and S1 — changed by both — flagged.
    assert 'name="version" value="2"' in html
    assert f'name="score_{s2.pk}" id="id_score_{s2.pk}" value="10.0"' in html
    assert f'name="score_{s1.pk}" id="id_score_{s1.pk}" value="9"' in html
    assert f'id="indicator-{s1.pk}"' in html
    assert html.index("table-warning", html.index(f'id="indicator-{s1.pk}"') - 200) < html.index(
        f'id="indicator-{s1.pk}"'
    )


@pytest.mark.django_db
def test_the_service_refuses_a_stale_version_and_lists_the_changes(two_editors):
    world, carol = two_editors
    s1 = world.indicators[0]
    sheet_save(sheet=world.sheet, actor=carol, base_version=1, entries={s1.pk: ScoreEntry(value=Decimal("11"))})
    with pytest.raises(StaleSheet) as error:
        sheet_save(
            sheet=world.sheet, actor=world.alice, base_version=1, entries={s1.pk: ScoreEntry(value=Decimal("9"))}
        )
    assert [(c.field, c.old, c.new, c.user) for c in error.value.changes] == [("score", "", "11.0", carol)]
    assert error.value.current_version == 2
    assert Score.objects.get(indicator=s1).value == Decimal("11")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_an_uncommitted_one_on_postgresql_is_refused(two_editors):
    """Alice's save is in flight (its transaction not yet committed) when Carol saves from the
    same version: Carol's save waits for Alice's and is then refused, listing Alice's change.
    Without the row lock Carol would read the old version and overwrite Alice silently."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    world, carol = two_editors
    s1 = world.indicators[0]
    alice_saved = threading.Event()
    outcomes: dict[str, object] = {}

    def alice():
        try:
            with transaction.atomic():
                sheet_save(
                    sheet=world.sheet, actor=world.alice, base_version=1, entries={s1.pk: ScoreEntry(Decimal("9"))}
                )
                alice_saved.set()
                time.sleep(0.5)  # Carol starts meanwhile and must wait for this commit
            outcomes["alice"] = "saved"
        finally:
            connections.close_all()

    def carol_():
        try:
            alice_saved.wait(timeout=10)
            sheet_save(sheet=world.sheet, actor=carol, base_version=1, entries={s1.pk: ScoreEntry(Decimal("11"))})
            outcomes["carol"] = "saved"
        except StaleSheet as error:
            outcomes["carol"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=alice), threading.Thread(target=carol_)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes["alice"] == "saved"
    assert isinstance(outcomes["carol"], StaleSheet)
    assert [(c.user.username, c.new) for c in outcomes["carol"].changes] == [("alice", "9.0")]
    world.sheet.refresh_from_db()
    assert world.sheet.version == 2
    assert Score.objects.get(sheet=world.sheet, indicator=s1).value == Decimal("9")
    assert list(ScoreChange.objects.values_list("user__username", flat=True)) == ["alice"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_on_postgresql_submit_once(two_editors):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    world, carol = two_editors
    entries = {i.pk: ScoreEntry(i.max_score) for i in world.indicators}
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(user):
        try:
            barrier.wait(timeout=10)
            sheet_save(sheet=world.sheet, actor=user, base_version=1, entries=entries, submit=True)
            outcomes.append("submitted")
        except (StaleSheet, AlreadySubmitted) as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (world.alice, carol)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["AlreadySubmitted", "submitted"]
    assert ScoreChange.objects.filter(field="submit").count() == 1
    assert Score.objects.count() == len(world.indicators)

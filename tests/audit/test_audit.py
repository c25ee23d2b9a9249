"""The audit trail: who, when, what, which object, from which address; read by admins and
leadership, filterable, never editable (not through the ORM, not through the admin)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditImmutable
from audit.services import audit_record
from scoring.models import ScoreSheet
from scoring.services import sheet_return, sheet_save
from scoring.services.sheets import ScoreEntry
from tests.scoring.helpers import full_values, sheet_post

pytestmark = pytest.mark.django_db


def events(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_an_event_cannot_be_changed_or_deleted(dept_user):
    event = audit_record(user=dept_user, action="adjustment_edit", detail={"Ⅰ类红榜": "1.5 → 2.0"})
    event.action = "login"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(detail={})
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert (event.action, event.detail) == ("adjustment_edit", {"Ⅰ类红榜": "1.5 → 2.0"})


def test_an_unknown_action_is_refused(dept_user):
    with pytest.raises(ValueError):
        audit_record(user=dept_user, action="something_else")


def test_the_record_rolls_back_with_the_action_it_describes(dept_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(user=dept_user, action="board_publish")
        raise RuntimeError("publication failed")
    assert not AuditEvent.objects.exists()


def test_score_changes_submission_and_return_are_recorded_with_the_address(client, world, dept_user):
    client.force_login(world.alice)
    url = f"/scoring/sheets/{world.sheet.pk}/save/"
    client.post(url, sheet_post(world.sheet, world.indicators, values={"S1": "8"}), REMOTE_ADDR="198.51.100.20")
    (change,) = events("score_change")
    assert (change.actor, change.address, change.target_id) == (world.alice, "198.51.100.20", str(world.sheet.pk))
    assert change.target_type == "scoring.ScoreSheet" and change.detail["变更项"] == "1"

    world.sheet.refresh_from_db()
    client.post(url, sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"))
    assert len(events("sheet_submit")) == 1
    sheet_return(sheet=world.sheet, actor=dept_user, reason="S1 评分依据不足")
    (returned,) = events("sheet_return")
    assert returned.actor == dept_user and returned.detail == {"原因": "S1 评分依据不足"}


def test_a_save_that_changes_nothing_records_nothing(world):
    before = AuditEvent.objects.count()  # the world's quarter creation is audited
    sheet_save(sheet=world.sheet, actor=world.alice, base_version=world.sheet.version, entries={})
    assert AuditEvent.objects.count() == before


def test_a_refused_save_records_nothing(world):
    from decimal import Decimal

    indicator = world.indicators[0]
    before = AuditEvent.objects.count()  # the world's quarter creation is audited
    with pytest.raises(Exception):  # noqa: B017  (the out-of-range error)
        sheet_save(
            sheet=world.sheet,
            actor=world.alice,
            base_version=world.sheet.version,
            entries={indicator.pk: ScoreEntry(value=indicator.max_score + Decimal(1), methods=[], note="")},
        )
    assert AuditEvent.objects.count() == before
    assert ScoreSheet.objects.get(pk=world.sheet.pk).version == world.sheet.version


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin_user", 200), ("leader_user", 200), ("dept_user", 403), ("inspector_user", 403), ("secretary_user", 403)],
)
def test_the_list_is_for_admins_and_leadership(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/audit/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_list_filters_by_action_actor_object_and_date(client, admin_user, dept_user, leader_user):
    audit_record(user=dept_user, action="board_publish", detail={"季度": "2019Q1"})
    audit_record(user=leader_user, action="export_download", detail={"文件": "红蓝榜.xlsx"})
    # Rows are immutable: an old event is written with its date rather than moved back.
    AuditEvent(
        actor=dept_user, actor_name="dept", action="adjustment_edit", at=timezone.now() - datetime.timedelta(days=30)
    ).save()
    client.force_login(admin_user)
    page = lambda **q: client.get("/audit/", q).context["page"].object_list  # noqa: E731
    assert [e.action for e in page(action="export_download")] == ["export_download"]
    assert {e.actor_name for e in page(actor="dept")} == {"dept"}
    assert len(page(actor="dept")) == 2
    today = timezone.localdate()
    assert len(page(since=today.isoformat())) == 3  # two above and force_login's own login
    assert len(page(until=(today - datetime.timedelta(days=1)).isoformat())) == 1
    assert len(page(action="not-an-action")) == 4  # a bad filter is ignored, not an error
    html = client.get("/audit/", {"action": "board_publish"}).content.decode()
    assert "发布红蓝榜" in html and "季度：2019Q1" in html


def test_the_list_takes_a_fixed_number_of_queries(client, admin_user, dept_user, django_assert_max_num_queries):
    for _ in range(60):
        audit_record(user=dept_user, action="score_change")
    client.force_login(admin_user)
    # session, user, roles (context processor), count, page of events, + the portal's context processors
    with django_assert_max_num_queries(8):
        assert client.get("/audit/").status_code == 200


def test_the_admin_shows_events_read_only(client, admin_user, dept_user):
    event = audit_record(user=dept_user, action="board_publish")
    client.force_login(admin_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_login_and_logout_are_recorded(client, dept_user):
    dept_user.set_password("Correct-Horse-2019")
    dept_user.save()
    client.post("/login/", {"username": "dept", "password": "Correct-Horse-2019"}, REMOTE_ADDR="198.51.100.30")
    client.post("/logout/", REMOTE_ADDR="198.51.100.30")
    assert [(e.action, e.address) for e in AuditEvent.objects.order_by("pk")] == [
        ("login", "198.51.100.30"),
        ("logout", "198.51.100.30"),
    ]


def test_publication_and_adjustment_table_edits_are_recorded(dept_user):
    from boards.services import adjustment_table_update, quarter_publish
    from tests.boards.helpers import score_quarter
    from tests.factories import QuarterFactory

    quarter = QuarterFactory(code="2031Q1", status="scoring")
    score_quarter(quarter, {"1": ["0.9", "0.8", "0.7"]})
    quarter_publish(quarter=quarter, user=dept_user)
    (published,) = events("board_publish")
    assert published.actor == dept_user and published.target_repr == str(quarter)
    assert published.detail == {"红榜": "支部1-001", "蓝榜": "支部1-003"}

    from decimal import Decimal

    adjustment_table_update(points={("1", "red"): Decimal("2.0"), ("1", "blue"): Decimal("-1.5")}, user=dept_user)
    (edit,) = events("adjustment_edit")
    assert edit.detail == {"Ⅰ类红榜": "1.50 → 2.0"}
    adjustment_table_update(points={("1", "red"): Decimal("2.0")}, user=dept_user)
    assert len(events("adjustment_edit")) == 1  # nothing changed, nothing recorded


@pytest.mark.postgres
def test_the_database_itself_refuses_to_change_or_delete_an_event(dept_user):
    from django.db import DatabaseError, connection

    from tests.helpers import is_postgres

    if not is_postgres():
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = audit_record(user=dept_user, action="board_publish")
    for sql in (
        "UPDATE audit_auditevent SET action = 'login' WHERE id = %s",
        "UPDATE audit_auditevent SET actor_id = NULL, actor_name = 'someone' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    # The account is never deleted, not even by raw SQL: the event keeps its author.
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM branches_user WHERE id = %s", [dept_user.pk])
    event.refresh_from_db()
    assert event.actor == dept_user and event.actor_name == "dept"


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE TABLE ONLY audit_auditevent RESTART IDENTITY",
        "TRUNCATE branches_notice, audit_auditevent",
        "TRUNCATE branches_user CASCADE",
    ],
)
def test_the_database_refuses_to_empty_the_audit_log(dept_user, sql):
    from django.db import DatabaseError, connection

    from tests.helpers import is_postgres

    if not is_postgres():
        pytest.skip("the TRUNCATE trigger is PostgreSQL's")
    audit_record(user=dept_user, action="board_publish")
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE refuses first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 1


def test_the_menu_offers_the_audit_log_to_its_readers_only(client, admin_user, leader_user, dept_user):
    for user, shown in ((admin_user, True), (leader_user, True), (dept_user, False)):
        client.force_login(user)
        assert ('href="/audit/"' in client.get("/").content.decode()) is shown, user.username


def test_a_report_download_is_recorded(client, admin_user, settings, tmp_path):
    from reports.models import ExportJob
    from tests.factories import QuarterFactory

    settings.REPORTS_ROOT = str(tmp_path)
    (tmp_path / "r.xlsx").write_bytes(b"PK\x03\x04")
    quarter = QuarterFactory(code="2031Q1", status="published")
    job = ExportJob.objects.create(
        kind="board", quarter=quarter, requested_by=admin_user, status=ExportJob.Status.DONE, file_name="r.xlsx"
    )
    client.force_login(admin_user)
    response = client.get(f"/reports/exports/{job.pk}/download/", REMOTE_ADDR="198.51.100.40")
    assert response.status_code == 200
    (event,) = events("export_download")
    assert (event.actor, event.address, event.target_id) == (admin_user, "198.51.100.40", str(job.pk))
    assert event.detail == {"文件": job.download_name}


def test_the_readmes_application_role_can_neither_empty_nor_unprotect_the_audit_log(dept_user):
    """The role of README "Database roles" (DML only, owns nothing), created inside the test's
    transaction so it vanishes with it."""
    from django.db import DatabaseError, connection

    from tests.helpers import is_postgres

    if not is_postgres():
        pytest.skip("roles and triggers are PostgreSQL's")
    audit_record(user=dept_user, action="board_publish")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("CREATE ROLE baiyin_security_app_probe NOLOGIN")
        cursor.execute("GRANT USAGE ON SCHEMA public TO baiyin_security_app_probe")
        cursor.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO baiyin_security_app_probe"
        )
        cursor.execute("SET LOCAL ROLE baiyin_security_app_probe")
    for sql, message in (
        ("TRUNCATE audit_auditevent", "permission denied"),
        ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate", "must be owner"),
        ("DROP TRIGGER audit_event_append_only ON audit_auditevent", "must be owner"),
        ("DELETE FROM audit_auditevent", "append-only"),
    ):
        with pytest.raises(DatabaseError, match=message), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 1

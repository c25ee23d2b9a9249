"""党建部's desk leaves its mark in the audit log (审计日志): creating a quarter (with what it
copied) and every edit of the scheme — indicators and deduction items added, changed, removed and
reordered — each with who, what and old → new."""

from __future__ import annotations

from decimal import Decimal

import pytest

from audit.models import AuditEvent
from scoring.models import DeductionItem, Quarter
from scoring.services import deduction_save, quarter_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(client, dept_user):
    client.force_login(dept_user)
    return client


@pytest.fixture
def quarter(db):
    return quarter_create(code="2019Q2")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_creating_a_quarter_in_the_portal_is_audited_with_what_it_copied(dept, dept_user):
    source = quarter_create(code="2019Q1")
    response = dept.post("/scoring/quarters/new/", {"code": "2019Q2", "copy_from": source.pk})
    assert response.status_code == 302
    created = Quarter.objects.get(code="2019Q2")
    (event,) = [e for e in events("quarter_create") if e.target_id == str(created.pk)]
    assert (event.actor, event.target_repr) == (dept_user, "2019Q2")
    assert event.detail["复制自"] == "2019Q1"
    assert event.detail["指标"] == str(created.indicators.count())
    assert event.detail["检查组"] == "0"
    assert event.get_action_display() == "新建季度"


def test_a_quarter_created_by_the_command_is_audited_without_a_person(capsys):
    from django.core.management import call_command

    call_command("create_quarter", "2019Q1")
    (event,) = events("quarter_create")
    assert event.actor is None and event.detail["复制自"] == "内置默认指标体系"


def test_adding_and_editing_an_indicator_records_its_fields_old_and_new(dept, dept_user, quarter):
    dept.post("/scoring/q/2019Q2/scheme/add/?category=3", {"code": "C5", "name": "学习强国使用", "max_score": "2.5"})
    (added,) = events("indicator_add")
    assert added.actor == dept_user
    assert (added.detail["季度"], added.detail["类别"], added.detail["编号"]) == ("2019Q2", "Ⅲ类", "C5")
    assert (added.detail["指标名称"], added.detail["满分"]) == ("学习强国使用", "2.5")

    c5 = quarter.indicators.get(code="C5")
    dept.post(f"/scoring/indicators/{c5.pk}/edit/", {"code": "C5", "name": "学习强国使用", "max_score": "3"})
    (edited,) = events("indicator_edit")
    assert edited.target_id == str(c5.pk)
    assert edited.detail["满分"] == "2.5 → 3"
    assert "指标名称" not in edited.detail  # unchanged fields are not listed


def test_saving_an_indicator_unchanged_records_nothing(dept, quarter):
    s1 = quarter.indicators.get(code="S1")
    dept.post(
        f"/scoring/indicators/{s1.pk}/edit/",
        {"code": s1.code, "name": s1.name, "max_score": str(s1.max_score), "guidance": s1.guidance},
    )
    assert events("indicator_edit") == []


def test_removing_an_indicator_records_what_was_removed(dept, dept_user, quarter):
    s1 = quarter.indicators.get(code="S1")
    deductions = s1.deductions.count()
    dept.post(f"/scoring/indicators/{s1.pk}/delete/")
    (event,) = events("indicator_delete")
    assert (event.actor, event.target_id, event.detail["编号"]) == (dept_user, str(s1.pk), "S1")
    assert event.detail["扣分标准"] == str(deductions)


def test_reordering_an_indicator_records_the_sections_order_before_and_after(dept, quarter):
    s2 = quarter.indicators.get(code="S2")
    dept.post(f"/scoring/indicators/{s2.pk}/move/", {"direction": "up"})
    (event,) = events("indicator_move")
    assert event.detail["方向"] == "上移"
    assert event.detail["顺序"] == "S1、S2、S3、S4、S5 → S2、S1、S3、S4、S5"


def test_moving_the_first_indicator_up_changes_nothing_and_records_nothing(dept, quarter):
    s1 = quarter.indicators.get(code="S1")
    dept.post(f"/scoring/indicators/{s1.pk}/move/", {"direction": "up"})
    assert events("indicator_move") == []


def test_deduction_items_added_edited_reordered_and_removed_are_each_recorded(dept, dept_user, quarter):
    c1 = quarter.indicators.get(code="C1")
    deduction_save(
        item=DeductionItem(indicator=c1, description="党课未按期讲授", points=Decimal("2"), per_occurrence=False)
    )
    dept.post(
        f"/scoring/indicators/{c1.pk}/deductions/new/",
        {"description": "台账缺页", "points": "0.5", "per_occurrence": "on", "cap": "2"},
    )
    item = c1.deductions.get(description="台账缺页")
    (first, added) = events("deduction_add")
    assert first.actor is None  # the service called without a person (a command, the shell)
    assert (added.actor, added.target_id) == (dept_user, str(item.pk))
    assert (added.detail["扣分情形"], added.detail["扣分"], added.detail["按处扣分"], added.detail["最多扣分"]) == (
        "台账缺页",
        "0.5",
        "是",
        "2",
    )

    dept.post(f"/scoring/deductions/{item.pk}/edit/", {"description": "台账缺页", "points": "1", "cap": "2"})
    (edited,) = events("deduction_edit")
    assert (edited.detail["扣分"], edited.detail["按处扣分"]) == ("0.5 → 1", "是 → 否")

    page = dept.get("/scoring/q/2019Q2/scheme/").content.decode()
    assert "上移扣分标准“台账缺页”" in page
    dept.post(f"/scoring/deductions/{item.pk}/move/", {"direction": "up"})
    (moved,) = events("deduction_move")
    assert moved.detail["顺序"] == "党课未按期讲授、台账缺页 → 台账缺页、党课未按期讲授"
    assert [d.description for d in c1.deductions.order_by("position", "id")] == ["台账缺页", "党课未按期讲授"]

    dept.post(f"/scoring/deductions/{item.pk}/delete/")
    (removed,) = events("deduction_delete")
    assert removed.target_id == str(item.pk) and removed.detail["扣分标准"] == "扣 1 分，最多扣 2 分"
    assert not DeductionItem.objects.filter(pk=item.pk).exists()


def test_reordering_deduction_items_is_refused_once_scoring_opens(dept, quarter):
    from scoring.services import quarter_transition

    c1 = quarter.indicators.get(code="C1")
    for name in ("甲", "乙"):
        deduction_save(item=DeductionItem(indicator=c1, description=name, points=Decimal("1")))
    quarter_transition(quarter=quarter, to=Quarter.Status.SCORING)
    second = c1.deductions.get(description="乙")
    response = dept.post(f"/scoring/deductions/{second.pk}/move/", {"direction": "up"})
    assert response.status_code in (302, 403)
    assert [d.description for d in c1.deductions.order_by("position", "id")] == ["甲", "乙"]
    assert events("deduction_move") == []


def test_a_refused_scheme_edit_leaves_no_record(quarter):
    from django.core.exceptions import ValidationError

    s1 = quarter.indicators.get(code="S1")
    with pytest.raises(ValidationError):
        deduction_save(item=DeductionItem(indicator=s1, description="过多", points=Decimal("99")))
    assert events("deduction_add") == []

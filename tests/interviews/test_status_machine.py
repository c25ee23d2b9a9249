"""The item status machine: every allowed move works for its actor, every other move is refused."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from interviews.models import TRANSITIONS, Actor, Evidence, ItemEvent, ItemStatus, RectificationItem
from interviews.services import (
    TransitionRefused,
    item_accept,
    item_answer,
    item_report_progress,
    item_return,
    item_transition,
)
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db

ALLOWED = {
    (ItemStatus.PENDING, ItemStatus.IN_PROGRESS): Actor.BRANCH,
    (ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED): Actor.BRANCH,
    (ItemStatus.COMPLETED, ItemStatus.ACCEPTED): Actor.DEPT,
    (ItemStatus.COMPLETED, ItemStatus.RETURNED): Actor.DEPT,
    (ItemStatus.RETURNED, ItemStatus.IN_PROGRESS): Actor.BRANCH,
    (ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS): Actor.LOOK_BACK,
}
ALL_MOVES = [(a, b) for a, b in itertools.product(ItemStatus, ItemStatus)]


def test_the_machine_is_exactly_the_documented_one():
    assert TRANSITIONS == ALLOWED


def _item(status):
    interview = make_interview(n_items=1, **answered(status=status))
    return interview.items.get()


@pytest.mark.parametrize(("src", "dst"), list(ALLOWED), ids=lambda s: str(s))
def test_every_allowed_move_works_for_its_actor(src, dst, dept_user):
    item = _item(src)
    item = item_transition(item=item, to=dst, actor=ALLOWED[(src, dst)], user=dept_user, note="n")
    item.refresh_from_db()
    assert item.status == dst
    assert ItemEvent.objects.filter(item=item, from_status=src, to_status=dst).count() == 1


@pytest.mark.parametrize(("src", "dst"), list(ALLOWED), ids=lambda s: str(s))
def test_an_allowed_move_is_refused_to_the_wrong_actor(src, dst, dept_user):
    for actor in Actor:
        if actor == ALLOWED[(src, dst)]:
            continue
        item = _item(src)
        with pytest.raises(TransitionRefused):
            item_transition(item=item, to=dst, actor=actor, user=dept_user)
        item.refresh_from_db()
        assert item.status == src


@pytest.mark.parametrize(("src", "dst"), [m for m in ALL_MOVES if m not in ALLOWED], ids=lambda s: str(s))
def test_every_other_move_is_refused_for_everyone(src, dst, dept_user):
    item = _item(src)
    for actor in Actor:
        with pytest.raises(TransitionRefused):
            item_transition(item=item, to=dst, actor=actor, user=dept_user)
    item.refresh_from_db()
    assert item.status == src
    assert not ItemEvent.objects.filter(item=item).exists()


def test_answering_a_pending_item_starts_it(secretary_user):
    interview = make_interview(branch=secretary_user.branch, n_items=1)
    item = interview.items.get()
    import datetime

    item_answer(
        item=item, user=secretary_user, measure="完善流程", deadline=datetime.date(2030, 1, 1), responsible="张三"
    )
    item.refresh_from_db()
    assert (item.status, item.measure, item.responsible) == (ItemStatus.IN_PROGRESS, "完善流程", "张三")


def test_answering_needs_measure_deadline_and_responsible(secretary_user):
    interview = make_interview(branch=secretary_user.branch, n_items=1)
    item = interview.items.get()
    with pytest.raises(ValidationError):
        item_answer(item=item, user=secretary_user, measure=" ", deadline=None, responsible="张三")
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


@pytest.mark.parametrize("status", [ItemStatus.COMPLETED, ItemStatus.ACCEPTED])
def test_a_completed_or_accepted_item_cannot_be_re_answered(status, secretary_user):
    import datetime

    item = make_interview(branch=secretary_user.branch, n_items=1, **answered(status=status)).items.get()
    with pytest.raises(TransitionRefused):
        item_answer(item=item, user=secretary_user, measure="改", deadline=datetime.date(2031, 1, 1), responsible="王")
    item.refresh_from_db()
    assert item.measure == "建立台账，按月检查"


def test_progress_on_a_pending_item_is_refused(secretary_user):
    item = make_interview(branch=secretary_user.branch, n_items=1).items.get()
    with pytest.raises(TransitionRefused):
        item_report_progress(item=item, user=secretary_user, progress="进行中", completed=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING


def test_reporting_completion_then_accepting_closes_the_rectification(secretary_user, dept_user):
    interview = make_interview(branch=secretary_user.branch, n_items=2, **answered())
    first, second = interview.items.all()
    for item in (first, second):
        item_report_progress(
            item=item, user=secretary_user, progress="已整改", completed=True, no_evidence_reason="现场整改"
        )
    item_accept(item=first, user=dept_user)
    interview.refresh_from_db()
    assert not interview.is_closed
    item_accept(item=second, user=dept_user)
    interview.refresh_from_db()
    assert interview.is_closed


def test_accepting_twice_changes_nothing_twice(dept_user):
    item = make_interview(n_items=1, **answered(status=ItemStatus.COMPLETED)).items.get()
    item_accept(item=item, user=dept_user)
    with pytest.raises(TransitionRefused):
        item_accept(item=item, user=dept_user)
    assert ItemEvent.objects.filter(item=item, to_status=ItemStatus.ACCEPTED).count() == 1


def test_returning_needs_a_reason_and_records_it(dept_user):
    item = make_interview(n_items=1, **answered(status=ItemStatus.COMPLETED)).items.get()
    with pytest.raises(ValidationError):
        item_return(item=item, user=dept_user, reason="  ")
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED
    item_return(item=item, user=dept_user, reason="佐证材料不全")
    item.refresh_from_db()
    assert (item.status, item.return_reason) == (ItemStatus.RETURNED, "佐证材料不全")


def test_a_returned_item_is_taken_up_again_by_reporting_progress(secretary_user):
    item = make_interview(branch=secretary_user.branch, n_items=1, **answered(status=ItemStatus.RETURNED)).items.get()
    Evidence.objects.create(item=item, file="evidence/x.pdf", original_name="x.pdf", size=1, kind="pdf")
    item_report_progress(item=item, user=secretary_user, progress="补充材料", completed=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED
    moves = list(
        ItemEvent.objects.filter(item=item).exclude(to_status="").order_by("id").values_list("from_status", "to_status")
    )
    assert moves == [(ItemStatus.RETURNED, ItemStatus.IN_PROGRESS), (ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED)]


def test_adding_an_item_reopens_a_closed_rectification(dept_user):
    from interviews.services import item_add

    interview = make_interview(n_items=1, **answered(status=ItemStatus.COMPLETED))
    item_accept(item=interview.items.get(), user=dept_user)
    interview.refresh_from_db()
    assert interview.is_closed
    item_add(interview=interview, user=dept_user, description="新发现的问题")
    interview.refresh_from_db()
    assert not interview.is_closed
    assert RectificationItem.objects.filter(interview=interview, status=ItemStatus.PENDING).count() == 1

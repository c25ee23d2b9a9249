"""Two simultaneous publications of a branch's member ranking publish it once (PostgreSQL)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from branches import roles
from members.models import MemberRanking, PartyMember
from members.services import member_point_record, member_ranking_publish
from tests import factories
from tests.helpers import is_postgres, make_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publications_publish_once():
    if not is_postgres():
        pytest.skip("row locks need PostgreSQL")
    secretary = make_user(roles.SECRETARY, username="sec-race")
    branch = factories.BranchFactory(secretary=secretary)
    member = PartyMember.objects.create(branch=branch, name="甲")
    member_point_record(
        member=member, date=datetime.date(2019, 2, 1), points=Decimal("2"), reason="主题党日", user=secretary
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish():
        try:
            barrier.wait()
            member_ranking_publish(branch=branch, year=2019, number=1, user=secretary)
            outcomes.append("published")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes)[0] == "2019Q1 的党员积分排名已经发布，不能重复发布。" and "published" in outcomes, outcomes
    assert MemberRanking.objects.filter(branch=branch).count() == 1

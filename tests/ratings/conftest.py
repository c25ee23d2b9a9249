"""Fixtures for the star-rating tests."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def three_branches(db):
    return [factories.BranchFactory(name=f"星级支部{n}", category="1") for n in (1, 2, 3)]

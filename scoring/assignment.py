"""The automatic assignment of branches to inspection groups, as a pure function over plain data.

The cross rule (交叉互查): a group never inspects a branch one of its members belongs to. Within
that rule the branches are spread so that the groups' loads are as even as the rule allows
("water-filling": every group is raised one branch at a time, and a branch already placed may be
moved to another eligible group to make room — an augmenting path — so no group ever loses load).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

BranchId = Hashable
GroupId = Hashable


@dataclass
class AssignmentResult:
    placed: dict[BranchId, GroupId] = field(default_factory=dict)
    # Branches no group may inspect: every group has a member from them.
    unplaceable: list[BranchId] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unplaceable


def assign_branches(
    branches: Iterable[BranchId],
    forbidden: Mapping[GroupId, set[BranchId]],
    loads: Mapping[GroupId, int] | None = None,
) -> AssignmentResult:
    """Place `branches` (in the given order) on the groups of `forbidden` (in its order).

    `forbidden[g]` is the set of branches group g may not inspect; `loads[g]` counts the branches g
    already has. The result places every placeable branch; the final loads (existing + new) are
    balanced: a group ends below another by more than one only when the cross rule leaves no branch
    it could take from it.
    """
    groups = list(forbidden)
    result = AssignmentResult()
    load = {g: (loads or {}).get(g, 0) for g in groups}
    pending: deque[BranchId] = deque()
    for b in branches:
        if any(b not in forbidden[g] for g in groups):
            pending.append(b)
        else:
            result.unplaceable.append(b)

    members: dict[GroupId, set[BranchId]] = {g: set() for g in groups}  # placed by this call
    owner: dict[BranchId, GroupId] = {}
    order = list(pending)

    def place(b: BranchId, g: GroupId) -> None:
        previous = owner.get(b)
        if previous is not None:
            members[previous].discard(b)
            load[previous] -= 1
        members[g].add(b)
        owner[b] = g
        load[g] += 1

    def augment(b: BranchId, cap: int) -> GroupId | None:
        """Breadth-first search for a chain of moves ending in a group below `cap`."""
        came_from: dict[GroupId, tuple[GroupId | None, BranchId]] = {}
        queue: deque[GroupId] = deque()
        for g in groups:
            if b not in forbidden[g]:
                came_from[g] = (None, b)
                queue.append(g)
        while queue:
            g = queue.popleft()
            if load[g] < cap:
                end = g
                while True:  # walk back: each branch on the chain moves one group along
                    previous, moved = came_from[g]
                    place(moved, g)
                    if previous is None:
                        return end
                    g = previous
            for moved in members[g]:
                for h in groups:
                    if h not in came_from and moved not in forbidden[h]:
                        came_from[h] = (g, moved)
                        queue.append(h)
        return None

    cap = min(load.values(), default=0)
    while pending and groups:
        cap += 1
        open_groups = {g: None for g in groups if load[g] < cap}  # an ordered set
        failed: list[BranchId] = []
        while pending and open_groups:
            b = pending.popleft()
            target = next((g for g in open_groups if b not in forbidden[g]), None)
            if target is not None:
                place(b, target)
            else:
                target = augment(b, cap)
                if target is None:
                    failed.append(b)
                    continue
            if load[target] >= cap:
                del open_groups[target]
        pending.extendleft(reversed(failed))
    result.placed = {b: owner[b] for b in order}
    return result

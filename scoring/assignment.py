"""The automatic assignment of branches to inspection groups, as a pure function over plain data.

The cross rule (交叉互查): a group never inspects a branch one of its members belongs to. Within
that rule the branches are spread so that the groups' loads are as even as the rule allows
("water-filling": every group is raised one branch at a time, and a branch already placed may be
moved to another eligible group to make room — an augmenting path — so no group ever loses load).

`assign_by_category` adds the categories on top (as 2019Q1 was run: each group inspects one
category, so its strictness is the same for every branch it ranks against the others): it gives
each group a home category, spreads each category over its home groups, and places elsewhere only
what the numbers or the cross rule leave over — saying why for each such branch.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

# Any hashable ids: the portal passes primary keys and category codes, the tests plain strings.
BranchId = TypeVar("BranchId", bound=Hashable)
GroupId = TypeVar("GroupId", bound=Hashable)
CategoryId = TypeVar("CategoryId", bound=Hashable)


@dataclass
class AssignmentResult(Generic[BranchId, GroupId]):
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
    result: AssignmentResult[BranchId, GroupId] = AssignmentResult()
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


# --- one category per group -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mix(Generic[BranchId, GroupId]):
    """A branch placed outside a group of its category, and why.

    `reason` is "no_group" (fewer groups than categories: no group has the branch's category as
    its own) or "cross_rule" (every group of its category has a member from the branch).
    """

    branch: BranchId
    group: GroupId
    reason: str


@dataclass
class CategoryAssignmentResult(Generic[BranchId, GroupId, CategoryId]):
    placed: dict[BranchId, GroupId] = field(default_factory=dict)
    unplaceable: list[BranchId] = field(default_factory=list)
    # The category each group was given (None: more groups than branches to share).
    home: dict[GroupId, CategoryId | None] = field(default_factory=dict)
    mixes: list[Mix[BranchId, GroupId]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unplaceable


def _min_cost_assignment(cost: Sequence[Sequence[int]]) -> list[int]:
    """Hungarian algorithm: for an n × m matrix (n ≤ m) the column given to each row, every column
    used at most once, at the least total cost. O(n² m)."""
    n, m = len(cost), len(cost[0]) if cost else 0
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match = [0] * (m + 1)  # match[j] = row (1-based) holding column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < minv[j]:
                        minv[j], way[j] = reduced, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    columns = [0] * n
    for j in range(1, m + 1):
        if match[j]:
            columns[match[j] - 1] = j - 1
    return columns


def _group_counts(sizes: Mapping[CategoryId, int], n_groups: int) -> dict[CategoryId, int]:
    """How many groups each category gets when there are at least as many groups as categories:
    one each, the rest in proportion to size (largest remainder), never more groups than branches."""
    counts = {c: 1 for c in sizes}
    spare = min(n_groups, sum(sizes.values())) - len(counts)
    while spare > 0:
        # the category whose branches per group is highest gets the next group
        c = max((c for c in sizes if counts[c] < sizes[c]), key=lambda c: (sizes[c] / counts[c], -list(sizes).index(c)))
        counts[c] += 1
        spare -= 1
    return counts


def assign_by_category(
    branches: Iterable[tuple[BranchId, CategoryId]],
    forbidden: Mapping[GroupId, set[BranchId]],
    loads: Mapping[GroupId, Counter] | None = None,
) -> CategoryAssignmentResult:
    """Place `branches` ((id, category) pairs, in order) on the groups of `forbidden` so that each
    group inspects one category where the numbers allow, the groups sharing a category are
    balanced, and the cross rule holds.

    `loads[g]` counts, per category, the branches g already has (they stay where they are and make
    g prefer that category). With at least as many groups as categories every category gets its
    own groups (more for the larger ones); with fewer, the largest categories get a group each and
    the rest are spread over all groups, balanced — a mix reported for every such branch, as is
    every branch the cross rule keeps from all the groups of its category.
    """
    branches = list(branches)
    groups = list(forbidden)
    loads = {g: Counter((loads or {}).get(g, {})) for g in groups}
    result: CategoryAssignmentResult[BranchId, GroupId, CategoryId] = CategoryAssignmentResult()
    counted: Counter[CategoryId] = Counter()
    for c in dict.fromkeys(c for _b, c in branches):
        counted[c] = 0
    for _b, c in branches:
        counted[c] += 1
    for g in groups:
        for c, n in loads[g].items():
            counted[c] += n
    sizes = {c: n for c, n in counted.items() if n}
    if not groups:
        result.unplaceable = [b for b, _c in branches]
        return result

    # Slots: one per (category, k-th group of that category). A group takes one slot; the cost
    # prefers, in this order, a category none of whose branches it is forbidden, the category it
    # already holds, and (with fewer groups than categories) the larger categories.
    slots: list[CategoryId | None]
    if len(groups) >= len(sizes):
        slots = [c for c, n in _group_counts(sizes, len(groups)).items() for _ in range(n)]
    else:
        slots = list(sizes)
    slots += [None] * max(0, len(groups) - len(slots))
    by_category: dict[CategoryId, list[BranchId]] = {c: [] for c in sizes}
    for b, c in branches:
        by_category[c].append(b)
    total = len(branches) + 1

    def cost(g: GroupId, c: CategoryId | None) -> int:
        if c is None:
            return 0
        blocked = sum(1 for b in by_category[c] if b in forbidden[g])
        return blocked * total * total - loads[g][c] * total - sizes[c]

    if slots:
        # Ties go to the natural order (第一检查组 → the first category, …), as people would do it.
        tie = (len(groups) + len(slots)) ** 2
        matrix = [[cost(g, c) * tie + abs(i - j) for j, c in enumerate(slots)] for i, g in enumerate(groups)]
        chosen = _min_cost_assignment(matrix)
        result.home = {g: slots[j] for g, j in zip(groups, chosen, strict=True)}
    total_load = {g: sum(loads[g].values()) for g in groups}
    homeless: list[tuple[BranchId, str]] = []
    for c, members in by_category.items():
        home_groups = [g for g in groups if result.home.get(g) == c]
        if not home_groups:
            homeless.extend((b, "no_group") for b in members)
            continue
        inner = assign_branches(members, {g: forbidden[g] for g in home_groups}, total_load)
        for b, g in inner.placed.items():
            result.placed[b] = g
            total_load[g] += 1
        homeless.extend((b, "cross_rule") for b in inner.unplaceable)
    if homeless:
        outer = assign_branches([b for b, _r in homeless], forbidden, total_load)
        reasons = dict(homeless)
        for b, g in outer.placed.items():
            result.placed[b] = g
            result.mixes.append(Mix(branch=b, group=g, reason=reasons[b]))
        result.unplaceable = outer.unplaceable
    order = [b for b, _c in branches]
    result.placed = {b: result.placed[b] for b in order if b in result.placed}
    return result

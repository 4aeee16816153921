"""Fair allocation of an oversubscribed scheme as a mixed-integer programme, solved by HiGHS.

Pure Python and numpy, no Django: `services/rounds.py` turns a request round into a `Problem`,
and `bench/fair_allocation.py` generates problems of any size.

Decision x[r] = 1 when request r (one child, one session) is granted; y[c] = 1 when child c gets
at least one session. Constraints: places, one-to-one staff and transport seats per session; each
child's budget and the cap per child; no child in two sessions at once; siblings who asked to go
together get a session all or none. The objective is lexicographic, solved in two stages:

1. fairness first: maximise the need-weighted number of children who get at least one session,
   so nobody gets a second before everyone who asked has had their chance at a first;
2. holding that, maximise need-weighted satisfaction: sum of need weight x preference score.
"""

import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np


def preference_score(rank: int) -> float:
    """A first choice is worth 1, each later choice a tenth less, never below a half."""
    return max(0.5, 1.0 - 0.1 * (rank - 1))


@dataclass(frozen=True)
class Request:
    key: object  # the caller's identifier for the request
    child: object
    session: object
    rank: int
    transport: bool = False
    family: object = None  # requests of one family arrive together under first come, first served


@dataclass
class Capacity:
    places: int
    staff: int = 0
    seats: int = 0


@dataclass
class ChildFacts:
    weight: float = 1.0  # need weight
    staff_units: int = 0  # 1 for one-to-one support, 2 for two-to-one
    budget: float | None = None  # None: no budget limit (free sessions only, or not counted)


@dataclass
class Problem:
    requests: list[Request]
    sessions: dict  # session -> Capacity (what is free now)
    children: dict  # child -> ChildFacts
    prices: dict = field(default_factory=dict)  # session -> price charged to the budget
    cap_per_child: int = 3
    together: list = field(default_factory=list)  # lists of request keys granted all or none
    clashes: list = field(default_factory=list)  # pairs of sessions a child cannot attend both of


@dataclass
class Solution:
    granted: set
    seconds: float
    gap: float  # relative optimality gap of the final stage, 0 when proven optimal
    optimal: bool
    satisfaction: float  # share of the ideal need-weighted satisfaction achieved, 0..1
    children_with_a_session: int
    reasons: dict  # request key -> why it was not granted


def _score(problem: Problem, request: Request) -> float:
    return problem.children[request.child].weight * preference_score(request.rank)


def ideal_score(problem: Problem) -> float:
    """Every child's best choices up to the cap granted: what satisfaction is measured against."""
    by_child = defaultdict(list)
    for request in problem.requests:
        by_child[request.child].append(_score(problem, request))
    return sum(sum(sorted(scores, reverse=True)[: problem.cap_per_child]) for scores in by_child.values())


def satisfaction_of(problem: Problem, granted: set) -> float:
    ideal = ideal_score(problem)
    achieved = sum(_score(problem, r) for r in problem.requests if r.key in granted)
    return achieved / ideal if ideal else 1.0


def solve(problem: Problem, *, time_limit: float = 60.0, threads: int | None = None) -> Solution:
    started = time.perf_counter()
    requests = problem.requests
    n = len(requests)
    if n == 0:
        return Solution(
            granted=set(), seconds=0.0, gap=0.0, optimal=True, satisfaction=1.0, children_with_a_session=0, reasons={}
        )
    children = list({r.child: None for r in requests})
    child_col = {child: n + i for i, child in enumerate(children)}
    num_col = n + len(children)
    rows: list[tuple[list[int], list[float], float, float]] = []  # (columns, values, lower, upper)
    inf = highspy.kHighsInf

    clashing = defaultdict(set)
    for a, b in problem.clashes:
        clashing[a].add(b)
        clashing[b].add(a)
    by_session, by_child = defaultdict(list), defaultdict(list)
    for col, request in enumerate(requests):
        by_session[request.session].append(col)
        by_child[request.child].append(col)
    for session, cols in by_session.items():
        capacity = problem.sessions[session]
        rows.append((cols, [1.0] * len(cols), -inf, capacity.places))
        staffed = [(c, problem.children[requests[c].child].staff_units) for c in cols]
        staffed = [(c, units) for c, units in staffed if units]
        if staffed:
            rows.append(([c for c, _ in staffed], [float(u) for _, u in staffed], -inf, capacity.staff))
        riding = [c for c in cols if requests[c].transport]
        if riding:
            rows.append((riding, [1.0] * len(riding), -inf, capacity.seats))
    for child, cols in by_child.items():
        facts = problem.children[child]
        rows.append((cols, [1.0] * len(cols), -inf, problem.cap_per_child))
        priced = [c for c in cols if problem.prices.get(requests[c].session, 0) > 0]
        if facts.budget is not None and priced:
            rows.append((priced, [float(problem.prices[requests[c].session]) for c in priced], -inf, facts.budget))
        # y[c] <= sum of x[r] for the child's requests
        rows.append(([child_col[child], *cols], [1.0] + [-1.0] * len(cols), -inf, 0.0))
        sessions_of = defaultdict(list)
        for c in cols:
            sessions_of[requests[c].session].append(c)
        # One row per largest group of the child's sessions that all clash with each other:
        # fewer rows than one per clashing pair, and a tighter relaxation for the solver.
        for group in _clash_cliques(list(sessions_of), clashing):
            group_cols = [c for session in group for c in sessions_of[session]]
            rows.append((group_cols, [1.0] * len(group_cols), -inf, 1.0))
    column_of = {r.key: col for col, r in enumerate(requests)}
    for keys in problem.together:
        cols = [column_of[k] for k in keys if k in column_of]
        for a, b in zip(cols, cols[1:], strict=False):
            rows.append(([a, b], [1.0, -1.0], 0.0, 0.0))

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("time_limit", float(time_limit))
    if threads:
        highs.setOptionValue("threads", threads)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = num_col, len(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    weights = np.array([problem.children[c].weight for c in children], dtype=float)
    lp.col_cost_ = np.concatenate([np.zeros(n), weights])  # stage 1: children with a session
    lp.col_lower_ = np.zeros(num_col)
    lp.col_upper_ = np.ones(num_col)
    lp.row_lower_ = np.array([row[2] for row in rows], dtype=float)
    lp.row_upper_ = np.array([row[3] for row in rows], dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lengths = [len(row[0]) for row in rows]
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    lp.a_matrix_.index_ = np.array([c for row in rows for c in row[0]], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for row in rows for v in row[1]], dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * num_col
    highs.passModel(lp)
    highs.run()
    first = highs.getInfo().objective_function_value

    # Stage 2: keep at least that many (need-weighted) children with a session, then maximise
    # satisfaction. The small tolerance absorbs floating point in the weights.
    highs.addRow(first - 1e-6, inf, len(children), np.arange(n, num_col, dtype=np.int32), weights)
    scores = np.array([_score(problem, r) for r in requests], dtype=float)
    highs.changeColsCost(num_col, np.arange(num_col, dtype=np.int32), np.concatenate([scores, np.zeros(len(children))]))
    highs.setOptionValue("time_limit", max(1.0, float(time_limit) - (time.perf_counter() - started)))
    highs.run()
    info = highs.getInfo()
    values = highs.getSolution().col_value
    granted = {r.key for col, r in enumerate(requests) if values[col] > 0.5}
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    solution = Solution(
        granted=granted,
        seconds=time.perf_counter() - started,
        gap=0.0 if optimal else _finite(info.mip_gap),
        optimal=optimal,
        satisfaction=satisfaction_of(problem, granted),
        children_with_a_session=len({requests[c].child for c in range(n) if values[c] > 0.5}),
        reasons={},
    )
    solution.reasons = explain(problem, granted)
    return solution


def _clash_cliques(sessions: list, clashing: dict) -> list[list]:
    """The maximal groups (two or more) of these sessions that all clash with one another
    (Bron-Kerbosch with a pivot, over the handful of sessions one child asked for)."""
    wanted = set(sessions)
    neighbours = {s: clashing.get(s, set()) & wanted for s in sessions}
    cliques: list[list] = []

    def extend(group: list, candidates: set, excluded: set) -> None:
        if not candidates and not excluded:
            if len(group) > 1:
                cliques.append(sorted(group, key=sessions.index))
            return
        pivot = max(candidates | excluded, key=lambda s: len(neighbours[s] & candidates))
        for session in [s for s in sessions if s in candidates - neighbours[pivot]]:
            extend([*group, session], candidates & neighbours[session], excluded & neighbours[session])
            candidates = candidates - {session}
            excluded = excluded | {session}

    extend([], {s for s in sessions if neighbours[s]}, set())
    return cliques


def _finite(gap: float) -> float:
    return float(gap) if math.isfinite(gap) else 1.0  # no bound yet: say 100%


class _Tally:
    """What a set of granted requests uses: places, staff and seats per session; money,
    sessions and count per child. Shared by the explanations and first come, first served."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.used = {s: Capacity(0, 0, 0) for s in problem.sessions}
        self.spent, self.count, self.got = defaultdict(float), defaultdict(int), defaultdict(set)
        self.clashes_with = defaultdict(set)
        for a, b in problem.clashes:
            self.clashes_with[a].add(b)
            self.clashes_with[b].add(a)

    def price(self, r: Request) -> float:
        return float(self.problem.prices.get(r.session, 0))

    def add(self, r: Request) -> None:
        used = self.used[r.session]
        used.places += 1
        used.staff += self.problem.children[r.child].staff_units
        used.seats += 1 if r.transport else 0
        self.spent[r.child] += self.price(r)
        self.count[r.child] += 1
        self.got[r.child].add(r.session)

    def capped(self, r: Request) -> bool:
        return self.count[r.child] >= self.problem.cap_per_child

    def clashes(self, r: Request) -> bool:
        return bool(self.clashes_with[r.session] & self.got[r.child])

    def over_budget(self, r: Request) -> bool:
        budget = self.problem.children[r.child].budget
        return budget is not None and self.price(r) > 0 and self.spent[r.child] + self.price(r) > budget + 1e-9


def explain(problem: Problem, granted: set) -> dict:
    """Why each request that was not granted was not: the constraint that stopped it, checked
    against the final allocation, in the order a family would find most useful."""
    tally = _Tally(problem)
    for r in problem.requests:
        if r.key in granted:
            tally.add(r)
    partners = {key: keys for keys in problem.together for key in keys}
    reasons = {}
    for r in problem.requests:
        if r.key in granted:
            continue
        facts, capacity, taken = problem.children[r.child], problem.sessions[r.session], tally.used[r.session]
        if tally.capped(r):
            reasons[r.key] = "cap"
        elif tally.clashes(r):
            reasons[r.key] = "clash"
        elif tally.over_budget(r):
            reasons[r.key] = "budget"
        elif taken.places >= capacity.places:
            reasons[r.key] = "places"
        elif facts.staff_units and taken.staff + facts.staff_units > capacity.staff:
            reasons[r.key] = "staff"
        elif r.transport and taken.seats >= capacity.seats:
            reasons[r.key] = "seats"
        elif r.key in partners:
            reasons[r.key] = "together"
        else:
            reasons[r.key] = "fairness"
    return reasons


def first_come_first_served(problem: Problem, *, seed: int = 0) -> set:
    """The same requests granted in a random arrival order (a family's requests arrive together,
    each child's in preference order), each one if it still fits: what a booking rush gives."""
    by_family = defaultdict(list)
    partners = {key: keys for keys in problem.together for key in keys}
    for r in problem.requests:
        by_family[r.family if r.family is not None else r.child].append(r)
    order = list(by_family)
    random.Random(seed).shuffle(order)
    request_of = {r.key: r for r in problem.requests}
    tally, granted = _Tally(problem), set()

    def fits(group):
        extra = defaultdict(lambda: Capacity(0, 0, 0))
        for r in group:
            if tally.capped(r) or tally.clashes(r) or tally.over_budget(r):
                return False
            e = extra[r.session]
            e.places += 1
            e.staff += problem.children[r.child].staff_units
            e.seats += 1 if r.transport else 0
        for session, e in extra.items():
            cap, u = problem.sessions[session], tally.used[session]
            if (
                u.places + e.places > cap.places
                or (e.staff and u.staff + e.staff > cap.staff)
                or (e.seats and u.seats + e.seats > cap.seats)
            ):
                return False
        return True

    for family in order:
        for r in sorted(by_family[family], key=lambda r: r.rank):
            if r.key in granted:
                continue
            group = [request_of[k] for k in partners[r.key]] if r.key in partners else [r]
            if fits(group):
                for g in group:
                    tally.add(g)
                    granted.add(g.key)
    return granted

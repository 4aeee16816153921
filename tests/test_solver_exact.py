"""The fair allocation model against brute force: on small random schemes, every subset of the
requests is tried, and the solver's two objectives (need-weighted children with a session, then
need-weighted satisfaction) must equal the best feasible subset's. This is what keeps a
reformulation of the model (clash groups instead of pairs, for one) exact."""

import itertools
import random
from collections import defaultdict

import pytest

from shortbreaks.bookings.services import solver


def _random_problem(seed: int) -> solver.Problem:
    rng = random.Random(seed)
    sessions = {
        f"s{i}": solver.Capacity(places=rng.randint(1, 3), staff=rng.randint(0, 2), seats=rng.randint(0, 2))
        for i in range(4)
    }
    names = list(sessions)
    children = {
        f"c{i}": solver.ChildFacts(
            weight=rng.choice([1, 2, 3]), staff_units=rng.choice([0, 0, 1, 2]), budget=rng.choice([None, 20.0, 50.0])
        )
        for i in range(5)
    }
    requests = []
    for child in children:
        for rank, session in enumerate(rng.sample(names, rng.randint(1, 3)), start=1):
            requests.append(
                solver.Request((child, session), child, session, rank, transport=rng.random() < 0.3, family=child[:2])
            )
    requests = requests[:11]  # 2^11 subsets at most
    keys = {r.key for r in requests}
    together = [[("c0", s), ("c1", s)] for s in names if ("c0", s) in keys and ("c1", s) in keys][:1]
    clashes = [(a, b) for a, b in itertools.combinations(names, 2) if rng.random() < 0.4]
    return solver.Problem(
        requests=requests,
        sessions=sessions,
        children=children,
        prices={s: rng.choice([0, 10, 30]) for s in names},
        cap_per_child=rng.choice([1, 2]),
        together=together,
        clashes=clashes,
    )


def _feasible(problem: solver.Problem, chosen: list[solver.Request]) -> bool:
    places, staff, seats = defaultdict(int), defaultdict(int), defaultdict(int)
    spent, count, got = defaultdict(float), defaultdict(int), defaultdict(set)
    for r in chosen:
        facts = problem.children[r.child]
        places[r.session] += 1
        staff[r.session] += facts.staff_units
        seats[r.session] += r.transport
        spent[r.child] += problem.prices.get(r.session, 0)
        count[r.child] += 1
        got[r.child].add(r.session)
    for session, capacity in problem.sessions.items():
        if places[session] > capacity.places or staff[session] > capacity.staff or seats[session] > capacity.seats:
            return False
    for child, facts in problem.children.items():
        if count[child] > problem.cap_per_child or (facts.budget is not None and spent[child] > facts.budget):
            return False
        if any(a in got[child] and b in got[child] for a, b in problem.clashes):
            return False
    keys = {r.key for r in chosen}
    return all(len({k in keys for k in group}) == 1 for group in problem.together)


def _objectives(problem: solver.Problem, granted: set) -> tuple[float, float]:
    chosen = [r for r in problem.requests if r.key in granted]
    fairness = sum(problem.children[c].weight for c in {r.child for r in chosen})
    return fairness, sum(problem.children[r.child].weight * solver.preference_score(r.rank) for r in chosen)


@pytest.mark.parametrize("seed", range(40))
def test_the_model_finds_the_brute_force_optimum(seed):
    problem = _random_problem(seed)
    best = (-1.0, -1.0)
    for size in range(len(problem.requests) + 1):
        for chosen in itertools.combinations(problem.requests, size):
            if _feasible(problem, list(chosen)):
                best = max(best, _objectives(problem, {r.key for r in chosen}))
    solution = solver.solve(problem)
    assert solution.optimal
    assert _feasible(problem, [r for r in problem.requests if r.key in solution.granted])
    assert _objectives(problem, solution.granted) == pytest.approx(best, abs=1e-6)


def test_clash_groups_cover_every_clashing_pair_and_only_those():
    clashing = {"a": {"b", "c"}, "b": {"a", "c"}, "c": {"a", "b", "d"}, "d": {"c"}}
    groups = solver._clash_cliques(["a", "b", "c", "d", "e"], clashing)
    assert sorted(map(sorted, groups)) == [["a", "b", "c"], ["c", "d"]]
    assert solver._clash_cliques(["a", "d", "e"], clashing) == []

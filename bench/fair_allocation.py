"""Fair allocation benchmark: generated oversubscribed holiday schemes of 1,000, 5,000 and 20,000
requests for a third as many places, allocated by the HiGHS model the platform runs in its
worker (`shortbreaks.bookings.services.solver`), and by first come, first served on the same
requests in a random arrival order.

    .venv/bin/python bench/fair_allocation.py [--sizes 1000 5000 20000] [--seed 7]

The solver needs no database, so none is started: the figures are the solve alone (the worker
also reads the requests and writes the outcomes, a few queries each way). Each scheme: sessions
of 12 to 20 places over four holiday weeks, one-to-one and two-to-one children using support
staff, transport seats, priced sessions against each child's budget, siblings asking to go
together, sessions on the same day clashing, a cap of three sessions per child and need weights
1 to 3. Last line: a JSON list of {"requests", "seconds", "gap", "satisfaction",
"fcfs_satisfaction"}. Target: 5,000 requests solved to proven optimum (gap 0) in under 10 s."""

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from harness import machine

from shortbreaks.bookings.services.solver import (
    Capacity,
    ChildFacts,
    Problem,
    Request,
    first_come_first_served,
    satisfaction_of,
    solve,
)


def generate(requests_wanted: int, seed: int) -> Problem:
    rng = random.Random(seed)
    places_wanted = requests_wanted // 3
    sessions, prices, day_of = {}, {}, {}
    total = 0
    while total < places_wanted:
        session = f"s{len(sessions)}"
        places = min(rng.randint(12, 20), places_wanted - total) or 1
        sessions[session] = Capacity(places=places, staff=max(1, places // 5), seats=places // 3)
        prices[session] = rng.choice([0, 0, 20, 30, 40])
        day_of[session] = rng.randrange(20)  # four holiday weeks of five days
        total += places
    session_list = list(sessions)
    # Popular sessions are asked for more: a skewed choice, as in any real scheme.
    popularity = [1 / (i + 1) ** 0.6 for i in range(len(session_list))]
    children, requests, together = {}, [], []
    family_number = 0
    while len(requests) < requests_wanted:
        family_number += 1
        family = f"f{family_number}"
        siblings = rng.choices([1, 2, 3], weights=[75, 20, 5])[0]
        asks_together = siblings > 1 and rng.random() < 0.6
        shared = rng.choices(session_list, weights=popularity, k=rng.randint(1, 5))
        shared = list(dict.fromkeys(shared))
        family_requests = defaultdict(list)
        for s in range(siblings):
            child = f"{family}c{s}"
            children[child] = ChildFacts(
                weight=rng.choices([1, 2, 3], weights=[50, 35, 15])[0],
                staff_units=rng.choices([0, 1, 2], weights=[70, 25, 5])[0],
                budget=float(rng.choice([60, 100, 150, 250])),
            )
            choices = (
                shared
                if asks_together
                else list(dict.fromkeys(rng.choices(session_list, weights=popularity, k=rng.randint(1, 5))))
            )
            transport = rng.random() < 0.3
            for rank, session in enumerate(choices, start=1):
                request = Request(
                    key=(child, session), child=child, session=session, rank=rank, transport=transport, family=family
                )
                requests.append(request)
                family_requests[session].append(request.key)
        if asks_together:
            together += [keys for keys in family_requests.values() if len(keys) > 1]
    by_day = defaultdict(list)
    for session, day in day_of.items():
        by_day[day].append(session)
    clashes = [(a, b) for same_day in by_day.values() for i, a in enumerate(same_day) for b in same_day[i + 1 :]]
    return Problem(
        requests=requests,
        sessions=sessions,
        children=children,
        prices=prices,
        cap_per_child=3,
        together=together,
        clashes=clashes,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=120.0)
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        problem = generate(size, args.seed)
        places = sum(c.places for c in problem.sessions.values())
        solution = solve(problem, time_limit=args.time_limit)
        fcfs = satisfaction_of(problem, first_come_first_served(problem, seed=args.seed))
        print(
            f"{len(problem.requests)} requests from {len(problem.children)} children for {places} places in "
            f"{len(problem.sessions)} sessions: {len(solution.granted)} granted in {solution.seconds:.2f} s, "
            f"{'proven optimal' if solution.optimal else f'gap {solution.gap:.4%}'}, "
            f"{solution.children_with_a_session} children with a session, "
            f"satisfaction {solution.satisfaction:.3f} (first come, first served {fcfs:.3f})",
            flush=True,
        )
        results.append(
            {
                "requests": len(problem.requests),
                "seconds": round(solution.seconds, 2),
                "gap": round(solution.gap, 6),
                "satisfaction": round(solution.satisfaction, 4),
                "fcfs_satisfaction": round(fcfs, 4),
            }
        )
    print("machine:", json.dumps(machine()))
    print(json.dumps(results))


if __name__ == "__main__":
    main()

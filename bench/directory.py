"""Directory benchmark: the Open Referral UK /services page of 50 services and the families'
search page, on PostgreSQL under gunicorn, over demo data at --scale 10 (by default).

    .venv/bin/python bench/directory.py [--scale 10] [--requests 400]

Starts a throwaway PostgreSQL unless DATABASE_URL names one, loads the demo, starts gunicorn,
measures one request at a time (latency, not throughput), stops everything, and prints as its
last line: {"services", "api_p50_ms", "api_p95_ms", "search_p50_ms", "search_p95_ms"}.
Targets: p95 under 50 ms for both at --scale 50 (about 7,000 services), and no more than 1.5
times the p95 at --scale 10."""

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import app_env, gunicorn, manage, postgres, print_result, summarise

SEARCHES = [
    {"postcode": "DE1 3AB", "radius": "5", "age": "9", "kind": "weekend", "need": "autism"},
    {"postcode": "DE22 1AB", "radius": "10", "need": ["autism", "behaviour-that-challenges"]},
    {"q": "club", "postcode": "DE24 8AB", "sort": "distance"},
    {"kind": "school-holiday", "age": "12", "cost": "free"},
    {"q": "swimming sensory"},
    {"need": "complex-health", "kind": "overnight"},
    {"day": ["SA", "SU"], "time": "morning", "postcode": "DE56 1AA", "radius": "20"},
    {},
    {"postcode": "DE3 0AB", "page": "2"},
    {"q": "holiday", "kind": "school-holiday", "need": "learning-disability", "age": "7"},
]


def timed(session: requests.Session, url: str, params=None) -> float:
    started = time.perf_counter()
    response = session.get(url, params=params, timeout=30)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{response.url} answered {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    args = parser.parse_args()

    with postgres() as database_url:
        env = app_env(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "load_demo", "--scale", str(args.scale), "--if-empty")
        with gunicorn(env, workers=2) as base:
            session = requests.Session()
            total = session.get(f"{base}/api/oruk/services", params={"per_page": 1}).json()["total_items"]
            pages = max(1, total // 50)
            for _ in range(20):  # warm up both workers
                timed(session, f"{base}/api/oruk/services", {"per_page": 50})
                timed(session, f"{base}/services/", SEARCHES[0])
            rng = random.Random(1)
            api = [
                timed(session, f"{base}/api/oruk/services", {"per_page": 50, "page": rng.randint(1, pages)})
                for _ in range(args.requests)
            ]
            searches = itertools.cycle(SEARCHES)
            search = [timed(session, f"{base}/services/", next(searches)) for _ in range(args.requests)]
    print(f"directory: {total} published services (demo scale {args.scale})")
    api_figures = summarise("ORUK API", api)
    search_figures = summarise("search page", search)
    print_result(
        {
            "services": total,
            "api_p50_ms": api_figures["p50_ms"],
            "api_p95_ms": api_figures["p95_ms"],
            "search_p50_ms": search_figures["p50_ms"],
            "search_p95_ms": search_figures["p95_ms"],
        }
    )


if __name__ == "__main__":
    main()

"""What-if benchmark: a commissioner's draft allocation rule scored over the whole caseload
(default 10,000 children), on PostgreSQL.

    .venv/bin/python bench/allocation_whatif.py [--children 10000] [--runs 7]

Starts a throwaway PostgreSQL unless DATABASE_URL names one, loads the demo with that many
children, drafts a changed rule (one band dearer, the top band harder to reach) and times
`allocation_whatif` end to end (the query and the scoring). Last line:
{"children", "median_s", "max_s"}. Target: under 2 seconds."""

import argparse
import copy
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import app_env, manage, postgres, print_result


def measure(runs: int) -> tuple[int, list[float], dict]:
    import django

    django.setup()
    from shortbreaks.accounts.models import User
    from shortbreaks.core.models import Authority
    from shortbreaks.families.selectors.whatif import allocation_whatif
    from shortbreaks.families.services.allocation import rule_draft_create, rule_in_force

    authority = Authority.objects.get(slug="dovebridge")
    current = rule_in_force(authority)
    spec = copy.deepcopy(current.spec)
    spec["bands"][3]["annual_amount"] = "2500.00"
    spec["bands"][-1]["min_points"] += 60
    draft = rule_draft_create(
        authority=authority,
        based_on=current,
        spec=spec,
        created_by=User.objects.get(username="commissioner@dovebridge.example"),
    )
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = allocation_whatif(authority=authority, rule=draft)
        times.append(time.perf_counter() - started)
    summary = {
        "families": result.families,
        "current_total": str(result.current_total),
        "proposed_total": str(result.proposed_total),
        "budget": str(result.budget),
        "families_changing": len(result.changes),
    }
    return result.children, times, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with postgres() as database_url:
        env = app_env(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo", "--children", str(args.children), "--if-empty")
        os.environ.update(env)
        children, times, summary = measure(args.runs)
    print(f"what-if over {children} children: {summary}")
    print(f"  runs: {', '.join(f'{t:.3f}s' for t in times)}")
    print_result({"children": children, "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)})


if __name__ == "__main__":
    main()

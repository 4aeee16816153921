"""A booking rush killed midway: the app server (gunicorn master and every worker) gets SIGKILL
while requests are in flight, then the database is checked.

    .venv/bin/python bench/rush_killed.py [--attempts 2000] [--clients 50] [--places 300] [--kill-after 1.5]

Starts a throwaway PostgreSQL unless DATABASE_URL names one, runs the same rush as
booking_rush.py, kills the server `--kill-after` seconds in, lets the clients fail, and reads
back: every booking whole or absent (no booking without its money on the ledger, no commitment
without its booking, no empty booking group), every budget equal to its ledger, no place
counted twice (never more live bookings than places; one live booking per child is a database
constraint) and every booking a parent was told about still there. Then it starts a fresh
server on the same database and books again, to show the rush can simply carry on. Last line:
{"attempts", "acknowledged", "interrupted", "half_written", "budget_mismatches", "oversold",
"lost", "booked_after_restart"}; everything but the counts of attempts must be 0 except
acknowledged, interrupted and booked_after_restart."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from booking_rush import PASSWORD, prepare, rush, verify
from harness import app_env, gunicorn, kill, postgres, print_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-after", type=float, default=1.5, help="seconds into the rush")
    args = parser.parse_args()

    with postgres() as database_url:
        env = app_env(database_url, RUSH_PASSWORD=PASSWORD)
        session_id, service_id, parents = prepare(
            env, clients=args.clients, per_client=args.attempts // args.clients, places=args.places
        )
        with gunicorn(env, workers=args.workers) as base:

            def power_cut():
                time.sleep(args.kill_after)
                kill(base)
                print(f"  SIGKILL to gunicorn (master and workers) {args.kill_after}s into the rush", flush=True)

            results = rush([base], parents, session_id, service_id, during=power_cut).results
        check = verify(env, session_id, results)

        # A fresh server on the same database: the parents who were cut off try again.
        with gunicorn(env, workers=args.workers) as base:
            retry = rush([base], parents[:10], session_id, service_id).results
        after = verify(env, session_id, results + retry)

    acknowledged = sum(1 for status, *_ in results if status == 201)
    interrupted = sum(1 for status, *_ in results if status not in (201, 409))
    booked_after = sum(1 for status, *_ in retry if status == 201)
    print(f"killed rush: {len(results)} attempts, {acknowledged} acknowledged, {interrupted} cut off by the kill")
    print(
        f"  database after the kill: {check['live']} live bookings for {check['places']} places, "
        f"{check['half_written']} half-written, {check['budget_mismatches']} budgets not equal to their ledger, "
        f"{check['lost']} acknowledged bookings missing"
    )
    print(
        f"  after restarting: {booked_after} more booked, {after['half_written']} half-written, "
        f"{after['budget_mismatches']} budget mismatches, {max(0, after['live'] - after['places'])} oversold"
    )
    print_result(
        {
            "attempts": len(results),
            "acknowledged": acknowledged,
            "interrupted": interrupted,
            "half_written": check["half_written"] + after["half_written"],
            "budget_mismatches": check["budget_mismatches"] + after["budget_mismatches"],
            "oversold": max(0, after["live"] - after["places"]),
            "lost": after["lost"],
            "booked_after_restart": booked_after,
        }
    )


if __name__ == "__main__":
    main()

"""Insight benchmark: the gap analysis and the commissioner's home page on PostgreSQL, over demo
data at --scale 20 (by default): a caseload of 6,000 children and a year of booking history
(hundreds of thousands of bookings).

    .venv/bin/python bench/insight.py [--scale 20] [--runs 7]

Starts a throwaway PostgreSQL unless DATABASE_URL names one, migrates and loads the demo, then
times in this process, warm (after one untimed run): the whole gap analysis for the year
(`insight.selectors.gaps.gap_analysis`, every aggregate query), and the home page (its figures
and its template rendered, as the view does; sign-in middleware left out). Prints the median of
the runs. Last line: {"bookings", "gap_analysis_s", "home_page_s"}. Target: under 1 s each."""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from harness import app_env, machine, manage, postgres


def timed(runs: int, work) -> float:
    work()  # warm: connections, caches, plans
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with postgres() as database_url:
        env = app_env(database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo", "--scale", str(args.scale), "--if-empty")
        os.environ.update(env)
        import django

        django.setup()
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from shortbreaks.accounts.models import User
        from shortbreaks.bookings.models import Booking
        from shortbreaks.core.models import Authority
        from shortbreaks.core.years import year_of
        from shortbreaks.insight.selectors.gaps import Filters, gap_analysis
        from shortbreaks.insight.selectors.home import home_figures

        authority = Authority.objects.get(slug="dovebridge")
        today = dt.date.today()
        year = year_of(today)
        request = RequestFactory().get("/insight/")
        request.user, request.authority = User.objects.get(username="commissioner@dovebridge.example"), authority

        def gaps():
            analysis = gap_analysis(authority=authority, filters=Filters(year=year))
            return len(analysis.rows)

        def home():
            return render_to_string("insight/home.html", home_figures(authority=authority, today=today), request)

        bookings = Booking.objects.filter(authority=authority).count()
        cells = gaps()
        gap_s = timed(args.runs, gaps)
        home_s = timed(args.runs, home)
        print(
            f"{bookings} bookings; gap analysis: {cells} need x area cells in {gap_s:.3f} s; "
            f"home page in {home_s:.3f} s (medians of {args.runs})",
            flush=True,
        )
        print("machine:", json.dumps(machine()))
        print(json.dumps({"bookings": bookings, "gap_analysis_s": round(gap_s, 3), "home_page_s": round(home_s, 3)}))


if __name__ == "__main__":
    main()

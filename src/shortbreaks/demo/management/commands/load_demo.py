import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shortbreaks.demo.assistants import load_assistants
from shortbreaks.demo.contracts import load_contracts
from shortbreaks.demo.directory import DEMO_PASSWORD, demo_loaded, load_demo
from shortbreaks.demo.families import load_caseload
from shortbreaks.demo.grants import load_grants
from shortbreaks.demo.history import load_history
from shortbreaks.demo.insight import load_holidays, load_statement_sections
from shortbreaks.demo.neighbour import NEIGHBOUR_HOST, load_neighbour
from shortbreaks.demo.procurement import load_procurement
from shortbreaks.demo.sessions import load_sessions
from shortbreaks.demo.staff import enrol_demo_staff


class Command(BaseCommand):
    help = (
        "Fill the database with the fictional borough of Dovebridge: its directory and market, "
        "then its caseload of families (deterministic for a seed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume (for benchmarks).")
        parser.add_argument("--children", type=int, help="Children in the caseload (default: 300 x scale).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is already loaded.")

    def handle(self, *args, seed, scale, children, if_empty, **options):
        if scale < 1 or (children is not None and children < 1):
            raise CommandError("--scale and --children must be 1 or more")
        if demo_loaded():
            if if_empty:
                self.stdout.write("The demo borough is already loaded.")
                return
            raise CommandError("The demo borough is already loaded. Use a fresh database to load it again.")
        started = time.monotonic()

        def progress(message):
            self.stdout.write(f"  {message}")

        with transaction.atomic():  # all or nothing
            authority = load_demo(seed=seed, scale=scale, progress=progress)
            load_caseload(authority=authority, seed=seed, scale=scale, children=children, progress=progress)
            load_sessions(authority=authority, seed=seed, progress=progress)
            load_history(authority=authority, seed=seed, scale=scale, progress=progress)
            load_holidays(authority=authority)
            load_statement_sections(authority=authority)
            load_assistants(authority=authority, seed=seed, progress=progress)
            load_neighbour()
        # Procurement goes through its services (each its own durable transaction, as in real
        # use), so after the rest has committed.
        load_procurement(authority=authority, seed=seed, progress=progress)
        load_contracts(authority=authority, seed=seed, progress=progress)
        load_grants(authority=authority, progress=progress)
        enrol_demo_staff()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics and visibility after a bulk load, as autovacuum would give
                # later: the search reads its covering index without visiting the table.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded Dovebridge (seed {seed}, scale {scale}) in {time.monotonic() - started:.1f}s. "
                f"Sign in as commissioner@dovebridge.example, officer@dovebridge.example, parent@dovebridge.example "
                f"or provider@dovebridge.example with the password {DEMO_PASSWORD!r}. The neighbouring "
                f"council, for regional commissioning, is at http://{NEIGHBOUR_HOST}:8000/ "
                "(commissioner@ashworth.example)."
            )
        )

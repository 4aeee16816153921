import time

from django.core.management.base import BaseCommand, CommandError

from shortbreaks.directory.demo.loader import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Fill the database with the fictional borough of Dovebridge (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--scale", type=int, default=1, help="Multiply the volume (for benchmarks).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is already loaded.")

    def handle(self, *args, seed, scale, if_empty, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        if demo_loaded():
            if if_empty:
                self.stdout.write("The demo borough is already loaded.")
                return
            raise CommandError("The demo borough is already loaded. Use a fresh database to load it again.")
        started = time.monotonic()
        load_demo(seed=seed, scale=scale, progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS(
            f"Loaded Dovebridge (seed {seed}, scale {scale}) in {time.monotonic() - started:.1f}s. "
            f"Sign in as commissioner@dovebridge.example or provider@dovebridge.example "
            f"with the password {DEMO_PASSWORD!r}."
        ))

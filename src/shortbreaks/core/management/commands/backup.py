import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shortbreaks.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "destination", nargs="?", help="Archive path (default: var/backups/shortbreaks-<time>.tar.gz)"
        )

    def handle(self, *args, destination=None, **options):
        if destination is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            destination = Path("var") / "backups" / f"shortbreaks-{stamp}.tar.gz"
        try:
            manifest = backup(Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Backed up {rows} rows ({manifest['engine']}) to {destination}"))

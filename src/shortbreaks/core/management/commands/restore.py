from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shortbreaks.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with those in a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing everything.")

    def handle(self, *args, archive, yes, **options):
        if not yes and input(f"Replace ALL data here with {archive}? Type 'restore' to go on: ") != "restore":
            raise CommandError("Nothing was changed.")
        try:
            manifest = restore(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({sum(manifest['counts'].values())} rows)."
            )
        )

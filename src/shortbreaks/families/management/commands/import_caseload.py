from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shortbreaks.core.models import Authority
from shortbreaks.families.imports import ImportRejected, import_caseload


class Command(BaseCommand):
    help = "Import families and children from a CSV or XLSX file: all rows, or none with every problem listed."

    def add_arguments(self, parser):
        parser.add_argument("authority", help="The authority's slug")
        parser.add_argument("file")

    def handle(self, *args, authority, file, **options):
        owner = Authority.objects.filter(slug=authority).first()
        if owner is None:
            raise CommandError(f"No authority with the slug {authority!r}")
        path = Path(file)
        try:
            counts = import_caseload(authority=owner, name=path.name, content=path.read_bytes(), imported_by=None)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"Nothing was imported: {len(rejected.problems)} problem(s).") from None
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported: {counts}"))

import json

from django.core.management.base import BaseCommand, CommandError

from shortbreaks.core.models import Authority
from shortbreaks.core.sites import site_url
from shortbreaks.procurement.ocds import release_package, releases_for
from shortbreaks.procurement.selectors import open_data_opportunities


class Command(BaseCommand):
    help = "Write every published opportunity of an authority as one OCDS 1.1 release package to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--authority", help="The authority's slug (default: the only one).")

    def handle(self, *args, authority=None, **options):
        authorities = Authority.objects.all() if authority is None else Authority.objects.filter(slug=authority)
        if authorities.count() != 1:
            raise CommandError("Name the authority with --authority SLUG.")
        authority = authorities.get()
        opportunities = open_data_opportunities(authority=authority).order_by("created_at", "reference")
        package = release_package(
            releases_for(opportunities), uri=f"{site_url(authority)}/api/ocds/releases", authority=authority
        )
        self.stdout.write(json.dumps(package, indent=2))

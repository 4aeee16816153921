from django.core.management.base import BaseCommand

from shortbreaks.assistants.services import expiry_check
from shortbreaks.core.models import Authority


class Command(BaseCommand):
    help = (
        "Warn personal assistants and officers a month before a DBS check or training runs out, and when it "
        "has (run daily)."
    )

    def handle(self, *args, **options):
        for authority in Authority.objects.all():
            counts = expiry_check(authority=authority)
            self.stdout.write(f"{authority}: {counts['warned']} warning(s), {counts['lapsed']} lapse(s).")

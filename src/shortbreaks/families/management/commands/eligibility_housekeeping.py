from django.core.management.base import BaseCommand

from shortbreaks.families.services.eligibility import eligibility_housekeeping


class Command(BaseCommand):
    help = "Daily: remind families whose eligibility ends soon, and expire eligibility that has ended."

    def handle(self, *args, **options):
        reminded, expired = eligibility_housekeeping()
        self.stdout.write(f"Sent {reminded} renewal reminder(s); {expired} eligibility record(s) expired.")

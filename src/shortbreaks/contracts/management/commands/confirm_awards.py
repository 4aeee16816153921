from django.core.management.base import BaseCommand

from shortbreaks.contracts.services import confirm_due_awards


class Command(BaseCommand):
    help = "Offer the contract for every award whose standstill period has passed (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{confirm_due_awards()} award(s) confirmed and offered as contracts.")

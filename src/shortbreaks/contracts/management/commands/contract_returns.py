"""Daily: open each ended month's return for active contracts, remind providers before the due
date and chase after it (each once)."""

from django.core.management.base import BaseCommand

from shortbreaks.contracts.services.monitoring import returns_schedule


class Command(BaseCommand):
    help = "Open returns as months end; remind before and chase after the due date."

    def handle(self, *args, **options):
        done = returns_schedule()
        self.stdout.write(f"{done['opened']} returns opened, {done['reminded']} reminders, {done['chased']} chased")

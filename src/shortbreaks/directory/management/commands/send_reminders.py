from django.core.management.base import BaseCommand

from shortbreaks.directory.services.freshness import listing_send_check_reminders
from shortbreaks.directory.services.publications import event_send_due_reminders


class Command(BaseCommand):
    help = (
        "Email reminders for provider events starting in the next 36 hours, and to providers whose "
        "listings are due for a check (run daily, or more often)."
    )

    def handle(self, *args, **options):
        sent = event_send_due_reminders()
        self.stdout.write(f"Queued {sent} event reminder{'s' if sent != 1 else ''}.")
        checks = listing_send_check_reminders()
        self.stdout.write(f"Queued {checks} listing check reminder{'s' if checks != 1 else ''}.")

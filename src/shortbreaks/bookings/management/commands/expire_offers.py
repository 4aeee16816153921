from django.core.management.base import BaseCommand

from shortbreaks.bookings.services.waiting import expire_offers


class Command(BaseCommand):
    help = "Move waiting-list offers nobody answered in time on to the next family (run every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_offers()} offer(s) moved on.")

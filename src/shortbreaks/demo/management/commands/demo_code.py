"""For trying the demo without a phone: print the one-time code a demo staff account's
authenticator app would show now. Works only for the demo's own accounts, and only outside the
production settings."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEMO_DOMAIN = "@dovebridge.example"


class Command(BaseCommand):
    help = "Print the current sign-in code for a demo staff account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_code is not available with the production settings.")
        if not email.endswith(DEMO_DOMAIN):
            raise CommandError(f"demo_code only works for the demo's accounts ({DEMO_DOMAIN}).")
        device = TOTPDevice.objects.filter(user__username=email).order_by("-confirmed").first()
        if device is None:
            raise CommandError("This account has no authenticator: it is not one of the demo's council staff.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")

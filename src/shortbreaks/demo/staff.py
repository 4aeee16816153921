"""The demo's council staff have their authenticator already set up, so a newcomer can sign in
with the password and the code `shortbreaks demo_code EMAIL` prints. (A real account sets up
its app only from a link emailed to it: accounts/second_factor.py.)"""

from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from shortbreaks.accounts.models import User
from shortbreaks.accounts.two_factor import needs_two_factor


def enrol_demo_staff() -> int:
    enrolled = 0
    demo = Q(username__endswith="@dovebridge.example") | Q(username__endswith="@ashworth.example")
    for user in User.objects.filter(demo):
        if needs_two_factor(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
            enrolled += 1
    return enrolled

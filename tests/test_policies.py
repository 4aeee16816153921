"""Each app's policy is made with the authority, and reading one never writes."""

from shortbreaks.bookings.models import BookingPolicy
from shortbreaks.bookings.selectors.policies import policy_for as booking_policy_for
from shortbreaks.core.models import Authority


def test_a_new_authority_gets_every_policy(db):
    authority = Authority.objects.create(slug="wren", name="Wren Borough Council", hostnames="wren.test")
    assert BookingPolicy.objects.filter(authority=authority).count() == 1


def test_reading_the_booking_policy_writes_nothing(authority):
    BookingPolicy.objects.filter(authority=authority).delete()
    policy = booking_policy_for(authority)
    assert policy.pk is None and policy.offer_hours == 24
    assert not BookingPolicy.objects.exists()

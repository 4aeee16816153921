"""Each app's policy is made with the authority, and reading one never writes."""

from decimal import Decimal

from django.urls import reverse

from shortbreaks.bookings.models import BookingPolicy
from shortbreaks.bookings.selectors.policies import policy_for as booking_policy_for
from shortbreaks.contracts.models import MonitoringPolicy, QualityVisit
from shortbreaks.contracts.services.quality import rating_of
from shortbreaks.core.models import Authority
from shortbreaks.directory.models import ListingPolicy
from shortbreaks.procurement.models import ProcurementPolicy
from shortbreaks.procurement.selectors.policies import policy_for as procurement_policy_for

from .factories import sign_in


def test_a_new_authority_gets_every_policy(db):
    authority = Authority.objects.create(slug="wren", name="Wren Borough Council", hostnames="wren.test")
    assert BookingPolicy.objects.filter(authority=authority).count() == 1
    assert ProcurementPolicy.objects.filter(authority=authority).count() == 1
    assert list(MonitoringPolicy.objects.filter(authority=authority).values_list("version", flat=True)) == [1]
    assert list(ListingPolicy.objects.filter(authority=authority).values_list("version", flat=True)) == [1]


def test_reading_the_booking_policy_writes_nothing(authority):
    BookingPolicy.objects.filter(authority=authority).delete()
    policy = booking_policy_for(authority)
    assert policy.pk is None and policy.offer_hours == 24
    assert not BookingPolicy.objects.exists()


def test_a_page_that_reads_the_monitoring_policy_writes_none(client, authority, commissioner):
    MonitoringPolicy.objects.filter(authority=authority).delete()
    sign_in(client, commissioner)
    assert client.get(reverse("insight:home")).status_code == 200
    assert not MonitoringPolicy.objects.exists()


def test_reading_the_procurement_policy_writes_nothing(authority):
    ProcurementPolicy.objects.filter(authority=authority).delete()
    policy = procurement_policy_for(authority)
    assert policy.pk is None and policy.standstill_working_days == ProcurementPolicy().standstill_working_days
    assert not ProcurementPolicy.objects.exists()


def test_quality_ratings_are_banded_by_the_policy():
    default = MonitoringPolicy()
    scores = [rating_of(Decimal(x), default) for x in ("3.5", "3.49", "2.5", "2.49", "1.5", "1.49")]
    assert scores == [
        "Good",
        "Approaching the standard",
        "Approaching the standard",
        "Requires improvement",
        "Requires improvement",
        "Inadequate",
    ]
    stricter = MonitoringPolicy(quality_good_from=Decimal("3.8"), quality_approaching_from=Decimal("3"))
    assert rating_of(Decimal("3.6"), stricter) == "Approaching the standard"
    assert rating_of(Decimal("2.8"), stricter) == "Requires improvement"
    assert QualityVisit(rating=rating_of(Decimal("2.8"), stricter)).poor
    assert not QualityVisit(rating=rating_of(Decimal("2.8"), default)).poor


def test_reading_the_listing_policy_writes_nothing(authority):
    from shortbreaks.directory.selectors.freshness import listing_policy_for

    ListingPolicy.objects.filter(authority=authority).delete()
    policy = listing_policy_for(authority)
    assert policy.pk is None and policy.check_every_days == 90
    assert not ListingPolicy.objects.exists()

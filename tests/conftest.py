import datetime as dt
import uuid
import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.accounts.roles import Role
from shortbreaks.core.middleware import forget_authorities
from shortbreaks.core.models import Authority
from shortbreaks.directory import reference
from shortbreaks.directory.models import (
    CostOption, Location, Organisation, ProviderEvent, Schedule, Service, ServiceArea,
    ServiceAtLocation, Taxonomy, TaxonomyTerm,
)

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_authority_cache():
    forget_authorities()
    yield
    forget_authorities()


@pytest.fixture
def taxonomies(db):
    """Reference vocabularies (re-installed: transactional tests flush the tables)."""
    reference.install(Taxonomy, TaxonomyTerm)
    return {t.code: t for t in TaxonomyTerm.objects.all()}


@pytest.fixture
def authority(db, taxonomies):
    return Authority.objects.create(slug="dovebridge", name="Dovebridge Borough Council",
                                    hostnames="testserver,localhost,127.0.0.1")


@pytest.fixture
def other_authority(db, taxonomies):
    return Authority.objects.create(slug="kestrel", name="Kestrel County Council", hostnames="kestrel.test")


def make_user(authority, role=None, organisation=None, email=None) -> User:
    email = email or f"user{next(_counter)}@example.org"
    user = User.objects.create_user(username=email, email=email, password=PASSWORD, full_name=email.split("@")[0])
    if role:
        RoleAssignment.objects.create(user=user, authority=authority, role=role, organisation=organisation)
    return user


def make_organisation(authority, name="Rainbow Trust", **extra) -> Organisation:
    defaults = dict(kind="voluntary", description=f"{name} runs short breaks.", is_published=True,
                    email=f"{name.split()[0].lower()}@example.org")
    defaults.update(extra)
    return Organisation.objects.create(authority=authority, name=name, **defaults)


def make_location(organisation, postcode="DE1 3AB", lat=52.9225, lon=-1.4746, name="Community Centre") -> Location:
    return Location.objects.create(authority=organisation.authority, organisation=organisation, name=name,
                                   address_1="1 High Street", city="Dovebridge", postcode=postcode,
                                   latitude=lat, longitude=lon)


def make_service(organisation, *, name="Saturday Club", needs=("autism",), kinds=("weekend",),
                 ages=(5, 18), byday="SA", opens="10:00", closes="15:00", location=None, areas=(),
                 is_free=False, amount="15.00", status="active", published=True, description=None) -> Service:
    terms = {t.code: t for t in TaxonomyTerm.objects.all()}
    service = Service.objects.create(
        authority=organisation.authority, organisation=organisation, name=name,
        description=description or f"{name} offers fun activities for disabled children.",
        minimum_age=ages[0], maximum_age=ages[1], is_free=is_free, status=status, is_published=published,
        send_support="One-page profiles.", staff_training="Safeguarding.", accessibility="Step-free.",
        how_to_contact="Call us.",
    )
    service.needs.set([terms[c] for c in needs])
    service.break_kinds.set([terms[c] for c in kinds])
    Schedule.objects.create(service=service, byday=byday, opens_at=dt.time.fromisoformat(opens),
                            closes_at=dt.time.fromisoformat(closes))
    if not is_free:
        CostOption.objects.create(service=service, amount=Decimal(amount), amount_description="per session")
    if location is not None:
        ServiceAtLocation.objects.create(service=service, location=location)
    for district in areas:
        ServiceArea.objects.create(service=service, district=district)
    return service


def sign_in(client, user) -> None:
    """Sign in without the forms (sign-in, throttling and the second step have their own
    tests); staff are also marked as having passed the second step with a real device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shortbreaks.accounts.two_factor import needs_two_factor

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if needs_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
            TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def organisation(authority):
    return make_organisation(authority)


@pytest.fixture
def other_organisation(authority):
    return make_organisation(authority, name="Kingfisher Care Ltd", kind="private")


@pytest.fixture
def commissioner(authority):
    return make_user(authority, Role.COMMISSIONER, email="commissioner@example.org")


@pytest.fixture
def provider(authority, organisation):
    return make_user(authority, Role.PROVIDER, organisation=organisation, email="provider@example.org")


@pytest.fixture
def other_provider(authority, other_organisation):
    return make_user(authority, Role.PROVIDER, organisation=other_organisation, email="provider-b@example.org")


@pytest.fixture
def parent(authority):
    return make_user(authority, Role.PARENT, email="parent@example.org")


def make_family(authority, reference=None, carer_user=None, postcode="DE22 1AB"):
    from shortbreaks.families.models import Carer, Family

    family = Family.objects.create(authority=authority, reference=reference or f"F-{next(_counter):06d}",
                                   home_postcode=postcode)
    if carer_user is not None:
        Carer.objects.create(family=family, user=carer_user, full_name=carer_user.full_name, email=carer_user.email)
    return family


def make_child(family, first_name="Sam", born=dt.date(2017, 5, 1), needs=("autism",), **extra):
    from shortbreaks.families.models import Child

    child = Child.objects.create(authority=family.authority, family=family, first_name=first_name,
                                 last_name="Shah", date_of_birth=born, **extra)
    child.needs.set(TaxonomyTerm.objects.filter(taxonomy__code="needs", code__in=needs))
    return child


@pytest.fixture
def officer(authority):
    return make_user(authority, Role.OFFICER, email="officer@example.org")


@pytest.fixture
def rule(authority, commissioner):
    """The default allocation rule, in force."""
    from shortbreaks.families.default_rule import DEFAULT_SPEC
    from shortbreaks.families.services.allocation import rule_draft_create, rule_publish

    draft = rule_draft_create(authority=authority, created_by=commissioner, name="Short breaks allocation",
                              spec=DEFAULT_SPEC, annual_budget=Decimal("250000"))
    return rule_publish(rule=draft, published_by=commissioner)


@pytest.fixture
def event(authority, commissioner):
    starts = timezone.now() + dt.timedelta(days=10)
    return ProviderEvent.objects.create(
        authority=authority, title="Provider day", description="Come and hear about holiday schemes.",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3), venue="Council House", places=2,
        registration_closes_at=starts - dt.timedelta(days=1), created_by=commissioner,
    )


@pytest.fixture
def policy(authority, commissioner):
    from shortbreaks.families.eligibility import default_criteria
    from shortbreaks.families.services.eligibility import policy_publish

    return policy_publish(authority=authority, summary="Targeted short breaks are for disabled children who need extra support.",
                          criteria=default_criteria(["DE1", "DE22"]), automatic="all_met_with_ehcp",
                          published_by=commissioner)


def make_session(service, *, places=10, support_staff=2, seats=0, price="20.00", tier="targeted", days_ahead=14,
                 ages=(0, 25), **extra):
    from shortbreaks.bookings.models import Session

    now = timezone.now()
    day = (now + dt.timedelta(days=days_ahead)).date()
    return Session.objects.create(
        authority=service.authority, service=service, date=day, starts_at=dt.time(10), ends_at=dt.time(15),
        places=places, support_staff=support_staff, transport_seats=seats, price=Decimal(price), tier=tier,
        minimum_age=ages[0], maximum_age=ages[1], booking_opens_at=now - dt.timedelta(days=1),
        booking_closes_at=now + dt.timedelta(days=days_ahead - 1),
        cancellation_deadline=now + dt.timedelta(days=days_ahead - 2), **extra)


def session_on(service, day: dt.date, *, at_venue: bool = False, **extra):
    """A session on a given day (past ones included, which the booking rules would refuse to
    create), optionally at the service's venue."""
    session = make_session(service, **extra)
    session.date = day
    if at_venue:
        session.location = service.service_at_locations.first().location
    session.save(update_fields=["date", "location"])
    return session


def booked(session, child, status="attended"):
    """A booking as history leaves it (attended, no-show, cancelled...), without the booking rules."""
    from shortbreaks.bookings.models import Booking, BookingGroup

    group = BookingGroup.objects.create(authority=session.authority, booked_by=child.family.carers.first().user,
                                        idempotency_key=uuid.uuid4().hex)
    return Booking.objects.create(authority=session.authority, group=group, session=session, child=child,
                                  status=status, price=session.price)


def fund(child, amount="200.00"):
    from shortbreaks.families.models import LedgerEntry
    from shortbreaks.families.services.budget import account_for, ledger_post

    with transaction.atomic():
        account = account_for(child)
    ledger_post(account=account, kind=LedgerEntry.Kind.ALLOCATION_GRANTED, amount=Decimal(amount),
                description="Allocation", actor=None)
    return account


def make_eligible(child):
    from shortbreaks.families.models import Eligibility, EligibilityPolicy

    policy = EligibilityPolicy.objects.filter(authority=child.authority).first() or EligibilityPolicy.objects.create(
        authority=child.authority, version=99, summary="s", criteria=[], status="retired")
    today = dt.date.today()
    return Eligibility.objects.create(authority=child.authority, child=child, policy=policy, valid_from=today,
                                      expires_on=today + dt.timedelta(days=365))

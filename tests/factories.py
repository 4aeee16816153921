"""Builders for the tests: plain functions that make records the way the app leaves them.
Fixtures live in conftest.py and call these; test modules import these, never each other.
Every date is worked out from the suite's fixed clock (tests/clock.py)."""

import datetime as dt
import itertools
import uuid
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment, User
from shortbreaks.assistants.services import (
    profile_for,
    profile_update,
    reference_add,
    submit_for_vetting,
    training_record,
    vet,
)
from shortbreaks.bookings.models import WaitingListEntry
from shortbreaks.core.roles import Role
from shortbreaks.core.years import year_of
from shortbreaks.directory.models import (
    CostOption,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from shortbreaks.families.default_rule import DEFAULT_SPEC
from shortbreaks.insight.models import SchoolHoliday
from shortbreaks.procurement.models import Lot, Membership, Opportunity, Submission
from shortbreaks.procurement.services import (
    lot_add,
    opportunity_create,
    opportunity_publish,
    question_add,
    submission_save,
    submission_submit,
    submissions_open,
)

from .clock import born_aged

PASSWORD = "correct-horse-battery"


_counter = itertools.count(1)


def make_user(authority, role=None, organisation=None, email=None) -> User:
    email = email or f"user{next(_counter)}@example.org"
    user = User.objects.create_user(username=email, email=email, password=PASSWORD, full_name=email.split("@")[0])
    if role:
        RoleAssignment.objects.create(user=user, authority=authority, role=role, organisation=organisation)
    return user


def make_organisation(authority, name="Rainbow Trust", **extra) -> Organisation:
    defaults = dict(
        kind="voluntary",
        description=f"{name} runs short breaks.",
        registration=Organisation.Registration.APPROVED,
        is_published=True,
        email=f"{name.split()[0].lower()}@example.org",
    )
    defaults.update(extra)
    return Organisation.objects.create(authority=authority, name=name, **defaults)


def make_location(organisation, postcode="DE1 3AB", lat=52.9225, lon=-1.4746, name="Community Centre") -> Location:
    return Location.objects.create(
        authority=organisation.authority,
        organisation=organisation,
        name=name,
        address_1="1 High Street",
        city="Dovebridge",
        postcode=postcode,
        latitude=lat,
        longitude=lon,
    )


def make_service(
    organisation,
    *,
    name="Saturday Club",
    needs=("autism",),
    kinds=("weekend",),
    ages=(5, 18),
    byday="SA",
    opens="10:00",
    closes="15:00",
    location=None,
    areas=(),
    is_free=False,
    amount="15.00",
    status="active",
    published=True,
    description=None,
) -> Service:
    terms = {t.code: t for t in TaxonomyTerm.objects.all()}
    service = Service.objects.create(
        authority=organisation.authority,
        organisation=organisation,
        name=name,
        description=description or f"{name} offers fun activities for disabled children.",
        minimum_age=ages[0],
        maximum_age=ages[1],
        is_free=is_free,
        status=status,
        is_published=published,
        # Confirmed today (listings/freshness): an unchecked listing would sink in search.
        assured_on=timezone.localdate(),
        send_support="One-page profiles.",
        staff_training="Safeguarding.",
        accessibility="Step-free.",
        how_to_contact="Call us.",
    )
    service.needs.set([terms[c] for c in needs])
    service.break_kinds.set([terms[c] for c in kinds])
    Schedule.objects.create(
        service=service, byday=byday, opens_at=dt.time.fromisoformat(opens), closes_at=dt.time.fromisoformat(closes)
    )
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
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Test app", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def make_family(authority, reference=None, carer_user=None, postcode="DE22 1AB"):
    from shortbreaks.families.models import Carer, Family

    family = Family.objects.create(
        authority=authority, reference=reference or f"F-{next(_counter):06d}", home_postcode=postcode
    )
    if carer_user is not None:
        Carer.objects.create(family=family, user=carer_user, full_name=carer_user.full_name, email=carer_user.email)
    return family


def make_child(family, first_name="Sam", born=None, needs=("autism",), **extra):
    """A child aged 9 unless `born` says otherwise."""
    from shortbreaks.families.models import Child

    child = Child.objects.create(
        authority=family.authority,
        family=family,
        first_name=first_name,
        last_name="Shah",
        date_of_birth=born or born_aged(9),
        **extra,
    )
    child.needs.set(TaxonomyTerm.objects.filter(taxonomy__code="needs", code__in=needs))
    return child


def make_session(
    service,
    *,
    places=10,
    support_staff=2,
    seats=0,
    price="20.00",
    tier="targeted",
    days_ahead=14,
    ages=(0, 25),
    **extra,
):
    from shortbreaks.bookings.models import Session

    now = timezone.now()
    day = (now + dt.timedelta(days=days_ahead)).date()
    return Session.objects.create(
        authority=service.authority,
        service=service,
        date=day,
        starts_at=dt.time(10),
        ends_at=dt.time(15),
        places=places,
        support_staff=support_staff,
        transport_seats=seats,
        price=Decimal(price),
        tier=tier,
        minimum_age=ages[0],
        maximum_age=ages[1],
        booking_opens_at=now - dt.timedelta(days=1),
        booking_closes_at=now + dt.timedelta(days=days_ahead - 1),
        cancellation_deadline=now + dt.timedelta(days=days_ahead - 2),
        **extra,
    )


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

    group = BookingGroup.objects.create(
        authority=session.authority, booked_by=child.family.carers.first().user, idempotency_key=uuid.uuid4().hex
    )
    return Booking.objects.create(
        authority=session.authority, group=group, session=session, child=child, status=status, price=session.price
    )


def fund(child, amount="200.00"):
    from shortbreaks.families.models import LedgerEntry
    from shortbreaks.families.services.budget import account_for, ledger_post

    with transaction.atomic():
        account = account_for(child)
    ledger_post(
        account=account,
        kind=LedgerEntry.Kind.ALLOCATION_GRANTED,
        amount=Decimal(amount),
        description="Allocation",
        actor=None,
    )
    return account


def make_eligible(child):
    from shortbreaks.families.models import Eligibility, EligibilityPolicy

    policy = EligibilityPolicy.objects.filter(authority=child.authority).first() or EligibilityPolicy.objects.create(
        authority=child.authority, version=99, summary="s", criteria=[], status="retired"
    )
    today = timezone.localdate()
    return Eligibility.objects.create(
        authority=child.authority,
        child=child,
        policy=policy,
        valid_from=today,
        expires_on=today + dt.timedelta(days=365),
    )


def build(authority, commissioner, *, route="open", value="120000", lots=2, **extra) -> Opportunity:
    now = timezone.now()
    opportunity = opportunity_create(
        authority=authority,
        created_by=commissioner,
        reference=extra.pop("reference", "SB-2027-01"),
        title="Holiday and weekend short breaks",
        description="Day and overnight breaks for disabled children.",
        route=route,
        clarification_deadline=now + dt.timedelta(days=5),
        submission_deadline=now + dt.timedelta(days=10),
        **extra,
    )
    for n in range(lots):
        lot_add(
            opportunity=opportunity,
            title=f"Lot {n + 1} breaks",
            description="",
            value=Decimal(value) / lots,
            added_by=commissioner,
        )
    question_add(
        opportunity=opportunity,
        kind="selection",
        text="Do you hold public liability insurance of £5m?",
        guidance="",
        weight=0,
        panel="officers",
        added_by=commissioner,
    )
    question_add(
        opportunity=opportunity,
        kind="award",
        text="How will children enjoy their break?",
        guidance="10: children shape the activities",
        weight=70,
        panel="parents",
        added_by=commissioner,
    )
    question_add(
        opportunity=opportunity,
        kind="award",
        text="How will you keep children safe?",
        guidance="",
        weight=30,
        panel="officers",
        added_by=commissioner,
    )
    return opportunity


def answers_for(opportunity) -> dict:
    return {str(q.pk): f"Our answer to {q.number}" for q in opportunity.questions.all()}


def submit(opportunity, organisation, user, price="50000") -> Submission:
    lot = opportunity.lots.first()
    submission = submission_save(
        opportunity=opportunity,
        lot=lot,
        organisation=organisation,
        answers=answers_for(opportunity),
        price=Decimal(price) if price else None,
        saved_by=user,
    )
    return submission_submit(submission=submission, submitted_by=user)


def pass_deadline(opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(
        clarification_deadline=timezone.now() - dt.timedelta(days=1),
        submission_deadline=timezone.now() - dt.timedelta(seconds=1),
    )
    opportunity.refresh_from_db()


def call_off_terms() -> dict:
    """A call-off's own value and period, as call_off_create takes them."""
    today = timezone.localdate()
    return {
        "description": "Weekend overnight breaks for up to six children",
        "value": Decimal("30000"),
        "starts_on": today + dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=210),
    }


def call_off_fields() -> dict:
    """The same, as the call-off form's fields are posted."""
    terms = call_off_terms()
    return {
        "call-off-description": "Weekend overnight breaks for up to six children",
        "call-off-value": "30000",
        "call-off-starts_on": terms["starts_on"].isoformat(),
        "call-off-ends_on": terms["ends_on"].isoformat(),
    }


def awarded_framework(
    authority,
    organisation,
    commissioner,
    *,
    reference="FW-REG",
    title="Regional overnight breaks",
    lot_title="Overnight breaks",
):
    """An awarded framework with one lot and the organisation as its member (as the award leaves it)."""
    framework = Opportunity.objects.create(
        authority=authority, reference=reference, title=title, description="d", route="framework", status="awarded"
    )
    lot = Lot.objects.create(
        authority=authority, opportunity=framework, number=1, title=lot_title, value=Decimal("900000"), max_providers=3
    )
    bid = Submission.objects.create(
        authority=authority, opportunity=framework, lot=lot, organisation=organisation, status="submitted"
    )
    Membership.objects.create(
        authority=authority,
        opportunity=framework,
        lot=lot,
        organisation=organisation,
        submission=bid,
        status="admitted",
        decided_by=commissioner,
        decided_at=timezone.now(),
    )
    return framework, lot


def make_assistant(
    authority,
    officer,
    *,
    email="pa@example.org",
    skills=("autism",),
    postcode="DE22 1AB",
    rate="15.00",
    slots=((5, "morning"),),
    vetted=True,
):
    today = timezone.localdate()
    user = make_user(authority, Role.PERSONAL_ASSISTANT, email=email)
    assistant = profile_for(user=user, authority=authority)
    profile_update(
        assistant=assistant,
        updated_by=user,
        display_name=f"PA {email}",
        about="",
        postcode=postcode,
        travel_km=10,
        hourly_rate=Decimal(rate),
        skills=list(skills),
        slots=list(slots),
        hidden=False,
        dbs_certificate="001234567890",
        dbs_issued_on=today - dt.timedelta(days=100),
    )
    training_record(
        assistant=assistant,
        course="Autism awareness",
        skill="autism",
        completed_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=300),
        recorded_by=user,
    )
    refs = [
        reference_add(
            assistant=assistant, referee=f"Ref {i}", relationship="Employer", email=f"r{i}@example.org", added_by=user
        )
        for i in range(2)
    ]
    if vetted:
        submit_for_vetting(assistant=assistant, submitted_by=user)
        vet(assistant=assistant, officer=officer, approve=True, reason="", references_received=refs)
    assistant.refresh_from_db()
    return assistant


LOW = {q["code"]: q["answers"][0]["code"] for q in DEFAULT_SPEC["questions"]}


HIGH = {q["code"]: q["answers"][-1]["code"] for q in DEFAULT_SPEC["questions"]}


# 80 + 80 + 90 + 20 + 40 + 40 = 350 points: band 3.
MIDDLE = dict(
    LOW,
    personal_care="a_lot",
    health="regular",
    behaviour="often",
    communication="some_support",
    nights="disturbed",
    supervision="close",
)


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_bidders(authority):
    """Two organisations with a provider each: (Alpha Trust, its user, Beta Care, its user)."""
    a, b = make_organisation(authority, name="Alpha Trust"), make_organisation(authority, name="Beta Care")
    return (
        a,
        make_user(authority, Role.PROVIDER, organisation=a, email="alpha@example.org"),
        b,
        make_user(authority, Role.PROVIDER, organisation=b, email="beta@example.org"),
    )


def opened_for_evaluation(authority, commissioner, bidders, officer, **extra):
    """A one-lot tender with two bids, opened, with an officer moderator and a parent panel member
    who have declared no conflict. `extra` goes to build (e.g. the quality and price weights)."""
    from shortbreaks.procurement.services import conflict_declare, evaluator_add

    alpha, alpha_user, beta, beta_user = bidders
    opportunity = opportunity_publish(
        opportunity=build(authority, commissioner, lots=1, **extra), published_by=commissioner
    )
    a = submit(opportunity, alpha, alpha_user, price="50000")
    b = submit(opportunity, beta, beta_user, price="40000")
    pass_deadline(opportunity)
    opportunity = submissions_open(opportunity=opportunity, opened_by=commissioner)
    panel_user = make_user(authority, Role.PANEL_MEMBER, email="mum@example.org")
    # The moderator agrees the officers' scores, so is never the only officer evaluating.
    scorer = make_user(authority, Role.OFFICER, email="scorer@example.org")
    evaluator_add(opportunity=opportunity, user=scorer, panel="officers", is_moderator=False, added_by=commissioner)
    moderator = evaluator_add(
        opportunity=opportunity, user=commissioner, panel="officers", is_moderator=True, added_by=commissioner
    )
    parent_panel = evaluator_add(
        opportunity=opportunity, user=panel_user, panel="parents", is_moderator=False, added_by=commissioner
    )
    lot = opportunity.lots.get()
    for evaluator in (moderator, parent_panel):
        conflict_declare(evaluator=evaluator, lot=lot, has_conflict=False, details="")
    return opportunity, lot, a, b, moderator, parent_panel


def make_borough(authority, parent):
    """See the borough fixture; dates are in the financial year of the app's today."""
    start = dt.date(year_of(timezone.localdate()), 4, 1)
    """DE22: three autistic children (one aged 17), one session of 4 places in a holiday, one
    of 2 places in term; DE1: one child with a learning disability and no supply."""
    organisation = make_organisation(authority)
    venue = make_location(organisation, postcode="DE22 3XY")
    club = make_service(organisation, name="Saturday Club", needs=("autism",), kinds=("weekend",), location=venue)
    north = make_family(authority, reference="F-NORTH", carer_user=parent, postcode="DE22 1AB")
    south = make_family(authority, reference="F-SOUTH", carer_user=parent, postcode="DE1 2CD")
    sam, alex = (
        make_child(north, "Sam", born=born_aged(11, on=start, months=3)),
        make_child(north, "Alex", born=born_aged(10, on=start, months=3)),
    )
    jo = make_child(north, "Jo", born=start.replace(year=start.year - 17))
    make_child(south, "Kim", needs=("learning-disability",))
    holiday = SchoolHoliday.objects.create(
        authority=authority,
        name="Summer",
        starts_on=start + dt.timedelta(days=100),
        ends_on=start + dt.timedelta(days=140),
    )
    in_holiday = session_on(club, holiday.starts_on + dt.timedelta(days=1), places=4, at_venue=True)
    in_term = session_on(club, start + dt.timedelta(days=10), places=2, at_venue=True)
    booked(in_holiday, sam), booked(in_holiday, alex, status="cancelled")  # a cancellation holds nothing
    booked(in_term, sam), booked(in_term, alex)
    WaitingListEntry.objects.create(authority=authority, session=in_term, child=jo, status="waiting")
    return {"club": club, "jo": jo}

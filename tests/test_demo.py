from decimal import Decimal

from shortbreaks.accounts.models import User
from shortbreaks.bookings.models import BookingPolicy
from shortbreaks.contracts.models import MonitoringPolicy
from shortbreaks.core.models import AuditEvent, Authority, SitePage
from shortbreaks.demo.directory import load_demo
from shortbreaks.directory.models import (
    CommissioningIntention,
    EventRegistration,
    ListingChange,
    ListingPolicy,
    OpportunitySubscription,
    Organisation,
    ProviderEvent,
    ProviderSupport,
    Service,
    StrategyDocument,
)
from shortbreaks.procurement.models import ProcurementPolicy

BREAK_KINDS = {"day", "evening", "overnight", "weekend", "school-holiday", "at-home", "community"}


def published_services():
    return sorted(Service.objects.filter(is_published=True).values_list("name", "minimum_age", "maximum_age"))


def wipe():
    for model in (
        ListingChange,
        EventRegistration,
        ProviderEvent,
        CommissioningIntention,
        StrategyDocument,
        OpportunitySubscription,
        ProviderSupport,
        AuditEvent,
        Service,
        User,
        Organisation,
        BookingPolicy,  # each app's policy, made with the authority
        ProcurementPolicy,
        MonitoringPolicy,
        ListingPolicy,
        SitePage,  # its footer pages, made with it too
        Authority,
    ):
        model.objects.all().delete()


def test_demo_is_varied_and_deterministic(taxonomies):
    load_demo(seed=7, scale=1)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert Organisation.objects.filter(registration=Organisation.Registration.APPROVED).count() == 60
    assert Organisation.objects.filter(registration=Organisation.Registration.PENDING).count() == 1
    assert kinds == {"voluntary", "private", "in_house", "health", "social_enterprise"}
    services = Service.objects.filter(is_published=True)
    assert services.count() > 100
    assert set(services.values_list("break_kinds__code", flat=True)) == BREAK_KINDS
    assert len(set(services.values_list("needs__code", flat=True))) == 10
    first_run = published_services()
    wipe()
    load_demo(seed=7, scale=1)
    assert published_services() == first_run


import pytest  # noqa: E402


@pytest.mark.django_db(transaction=True)
def test_the_demo_command_loads_every_capability_as_in_real_use(taxonomies):
    """Real transactions (no test wrapper), so a service's durable transaction nested in the
    loader's would fail here as it would for someone running the quick start."""
    from django.core.management import call_command

    from shortbreaks.assistants.models import Assistant
    from shortbreaks.bookings.models import RequestRound, Scheme, Session
    from shortbreaks.procurement.models import Membership, Opportunity, Submission

    call_command("load_demo", "--children", "20", stdout=__import__("io").StringIO())
    assert Session.objects.filter(transport_seats__gt=0).exists() and Scheme.objects.count() == 2
    assert RequestRound.objects.filter(status="collecting").count() == 1
    assert Assistant.objects.filter(status="vetted").count() == 4
    # The PA loop can be tried at once: a timesheet for the parent to approve, a request for Alex.
    from shortbreaks.assistants.models import AssistantBooking, Reference

    asked = {b.status: b for b in AssistantBooking.objects.filter(assistant__user__username="pa@dovebridge.example")}
    assert asked["accepted"].timesheet.status == "submitted" and asked["requested"].child.first_name == "Anaya"
    assert not Reference.objects.filter(referee__startswith="Referee").exists()
    assert set(Opportunity.objects.values_list("route", "status")) == {
        ("open", "open"),
        ("dynamic_list", "open"),
        ("framework", "draft"),
        ("block", "awarded"),
    }
    assert Submission.objects.filter(status="submitted").count() == 4
    # Evaluators score blind: no answer names its bidder, and bidders' answers differ.
    from shortbreaks.procurement.models import Answer

    answers = list(Answer.objects.select_related("submission__organisation"))
    assert answers and not [a for a in answers if a.submission.organisation.name.lower() in a.text.lower()]
    open_answers = [a.text for a in answers if a.submission.opportunity.route == "open"]
    assert len(open_answers) > 2 and len(set(open_answers)) == len(open_answers)
    assert Membership.objects.filter(status="admitted").count() == 1
    # The block tender's award gives the total its results table does (one calculation), from
    # agreed scores an officer gave and the commissioner moderated.
    from shortbreaks.procurement.models import Award
    from shortbreaks.procurement.scoring import lot_results

    block_award = Award.objects.select_related("lot__opportunity").get(lot__opportunity__route="block")
    (block_result,) = lot_results(block_award.lot)
    assert block_award.total == block_result.total == Decimal("85.60") and block_result.missing == 0
    assert set(block_award.lot.opportunity.evaluators.values_list("is_moderator", flat=True)) == {True, False}

    from shortbreaks.contracts.models import ContractReturn, DecommissioningPlan, Feedback, Payment, QualityVisit

    assert ContractReturn.objects.filter(status="approved").count() >= 2
    assert ContractReturn.objects.filter(status="submitted", places_booked__gt=0).count() == 1
    assert Payment.objects.filter(kind="return").exists() and QualityVisit.objects.count() == 1
    assert Feedback.objects.filter(review="published").count() == 1
    from shortbreaks.contracts.models import SafeguardingAlert

    # the safeguarding officer has an alert to open: Anaya's, from her mother
    assert SafeguardingAlert.objects.filter(feedback__child__first_name="Anaya").count() == 1
    assert_no_child_is_booked_twice_at_once()
    assert DecommissioningPlan.objects.get().affected.exists()
    from django.test import Client

    from .ocds_schemas import package_validator

    package = Client().get("/api/ocds/releases").json()
    package_validator().validate(package)
    assert {"contract", "implementation"} <= {tag for r in package["releases"] for tag in r["tag"]}
    # Its grants are published as 360Giving data that passes the checks 360Giving's tool runs.
    from .threesixty_quality import problems
    from .threesixty_schemas import package_validator, schema_copied

    grants = Client().get("/open-data/360giving.json").json()
    assert [g["title"] for g in grants["grants"]] == [
        "Saturday sibling days",
        "Holiday playscheme for disabled children",
        "Evening youth club for disabled teenagers",
    ]
    assert sum(g["amountAwarded"] for g in grants["grants"]) == 58500
    assert problems(grants, now=timezone.now()) == []
    if schema_copied():
        package_validator().validate(grants)

    # The demo's staff sign in with the password and the code demo_code prints, with no email.
    import io

    from shortbreaks.demo.directory import DEMO_PASSWORD

    out = io.StringIO()
    call_command("demo_code", "commissioner@dovebridge.example", stdout=out)
    client = Client()
    client.post("/accounts/sign-in/", {"username": "commissioner@dovebridge.example", "password": DEMO_PASSWORD})
    response = client.post("/accounts/two-factor/", {"code": out.getvalue().strip(), "next": "/insight/"})
    assert response.status_code == 302 and response.url == "/insight/"
    # The market position statement has the council's own words among its figures.
    preview = client.get("/insight/statements/preview/market_position/").content.decode()
    assert preview.index("Our vision") < preview.index("What families need") < preview.index("What we want from")
    assert preview.index("The money") < preview.index("What the money means") < preview.index("How we will work with")


# The demo as a newcomer tries it: what its services say agrees with when and for whom their
# sessions run, and the README's parent can try every family journey.
import collections  # noqa: E402
import datetime as dt  # noqa: E402
import re  # noqa: E402

from django.utils import timezone  # noqa: E402

from shortbreaks.bookings.models import Booking, RequestRound, Session, WaitingListEntry  # noqa: E402
from shortbreaks.bookings.selectors.bookable import unbookable  # noqa: E402
from shortbreaks.bookings.selectors.capacity import taken_in  # noqa: E402
from shortbreaks.bookings.services.booking import child_problems  # noqa: E402
from shortbreaks.demo import words  # noqa: E402
from shortbreaks.demo.dates import WEEKDAYS, in_holiday, school_holidays  # noqa: E402
from shortbreaks.demo.families import load_caseload  # noqa: E402
from shortbreaks.demo.history import load_history  # noqa: E402
from shortbreaks.demo.insight import load_holidays  # noqa: E402
from shortbreaks.demo.sessions import load_sessions  # noqa: E402
from shortbreaks.families.models import Allocation, BudgetAccount, Child, Eligibility  # noqa: E402

from .clock import NOW  # noqa: E402

DAY_WORDS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR"}
DAY_WORDS |= {"saturday": "SA", "sunday": "SU"}


def load_families_demo(children: int = 150):
    """Everything a family meets (directory, caseload, sessions, a year of history), without
    procurement and contracts, whose durable services need real transactions."""
    authority = load_demo(seed=2026, scale=1)
    load_caseload(authority=authority, seed=2026, scale=1, children=children)
    load_sessions(authority=authority, seed=2026)
    load_history(authority=authority, seed=2026, scale=1)
    load_holidays(authority=authority)
    return authority


def test_service_names_schedules_ages_and_descriptions_agree(taxonomies):
    load_demo(seed=7, scale=1)
    services = Service.objects.prefetch_related("schedules", "break_kinds")
    assert services.count() > 100
    for service in services:
        schedule = service.schedules.get()
        name, kinds = service.name.lower(), {k.code for k in service.break_kinds.all()}
        overnight = schedule.closes_at < schedule.opens_at
        for word, code in DAY_WORDS.items():
            if word in name:
                assert schedule.days == [code], service.name
        if "morning" in name:
            assert schedule.opens_at < dt.time(12) and schedule.closes_at <= dt.time(13), service.name
        if re.search(r"evening|night|youth club|teen", name):
            assert overnight or schedule.closes_at >= dt.time(19), service.name
        if "after-school" in name:
            assert schedule.opens_at >= dt.time(15) and set(schedule.days) <= {"MO", "TU", "WE", "TH", "FR"}
        if "overnight" in kinds or re.search(r"sleepover|overnight|residential", name):
            assert overnight and service.minimum_age >= 8, service.name
        else:
            assert not overnight, service.name
        if "weekend" in kinds:
            assert {"SA", "SU"} & set(schedule.days), service.name
        assert f"aged {service.minimum_age} to {service.maximum_age}" in service.description
        assert service.description.startswith(f"{service.name} offers ")
        # The days the description says are the schedule's.
        said = {code for word, code in DAY_WORDS.items() if f"{word}s" in service.description.lower()}
        if "every day" in service.description:
            said = set(WEEKDAYS)
        elif "Monday to Friday" in service.description:
            said = {"MO", "TU", "WE", "TH", "FR"}
        assert said == set(schedule.days), service.name


def test_what_a_service_says_about_where_access_and_places_comes_from_the_same_facts(taxonomies):
    load_demo(seed=7, scale=1)
    services = list(Service.objects.prefetch_related("break_kinds", "service_at_locations__location", "service_areas"))
    names = collections.Counter(s.name for s in services)
    assert names.most_common(1)[0][1] == 1, names.most_common(3)  # no two providers' services share a name
    for service in services:
        kinds = {k.code for k in service.break_kinds.all()}
        locations = [sal.location for sal in service.service_at_locations.all()]
        if kinds & {"at-home", "community"}:  # it comes to the family: no venue, no building
            assert not locations and service.service_areas.exists(), service.name
            comes = "We come to you" if "at-home" in kinds else "We meet your child at home"
            assert service.accessibility.startswith(comes) and "building" not in service.accessibility
            assert ("We come to your home" if "at-home" in kinds else comes) in service.description, service.name
            continue
        [location] = locations
        assert location.organisation_id == service.organisation_id, service.name
        # The access it gives is its venue's, and the description names the venue and its places.
        assert service.accessibility == location.accessibility and "come to you" not in service.accessibility
        assert f"It runs at {location.name}, for up to {service.capacity} children at a time." in (
            service.description
        ), service.name
        if "swimming" in service.name.lower():
            assert location.name.endswith("Leisure Centre"), (service.name, location.name)
        if "riding" in service.name.lower():
            assert location.name.endswith("Farm"), (service.name, location.name)
        if "overnight" in kinds:
            assert location.name.endswith("Resource Centre"), (service.name, location.name)


def test_sessions_keep_to_their_services_schedules_ages_and_prices(taxonomies):
    load_families_demo()
    holidays = school_holidays(timezone.localdate())
    sessions = Session.objects.select_related("service").prefetch_related("service__schedules", "service__cost_options")
    assert sessions.count() > 500
    for session in sessions:
        service, schedule = session.service, session.service.schedules.get()
        where = f"{session} ({session.date:%A})"
        assert WEEKDAYS[session.date.weekday()] in schedule.days, where
        assert (session.starts_at, session.ends_at) == (schedule.opens_at, schedule.closes_at), where
        assert (session.minimum_age, session.maximum_age) == (service.minimum_age, service.maximum_age), where
        if schedule.description == "Term time only":
            assert not in_holiday(session.date, holidays), where
        if schedule.description == "School holidays only":
            assert in_holiday(session.date, holidays), where
        # As many places as the service says it takes children at a time.
        assert session.places == (service.capacity or 12), where
        costs = [c.amount for c in service.cost_options.all()]
        if session.price:
            assert costs == [session.price], where
    # Every booking is of a child of the session's ages.
    for booking in Booking.objects.select_related("session", "child")[:3000]:
        age = booking.child.age_on(booking.session.date)
        assert booking.session.minimum_age <= age <= booking.session.maximum_age, booking.session


def test_the_caseload_is_varied_and_each_childs_records_agree(taxonomies):
    load_families_demo(children=300)
    children = list(Child.objects.prefetch_related("family__children"))
    names = collections.Counter(c.first_name for c in children)
    assert len(names) >= 60 and names.most_common(1)[0][1] <= 12, names.most_common(3)
    for child in children:
        siblings = [c.first_name for c in child.family.children.all()]
        assert len(siblings) == len(set(siblings)), siblings
        if child.sex == "female":
            assert child.first_name in words.GIRLS_NAMES
        if child.sex == "male":
            assert child.first_name in words.BOYS_NAMES
    # Children have emergency contacts (all but the three new applicants'); most families
    # share them with providers, not all, and only contacts they gave.
    with_contacts = [c for c in children if c.emergency_contacts]
    assert len(with_contacts) >= len(children) - 3
    assert 0 < sum(c.share_emergency_contacts for c in with_contacts) < len(with_contacts)
    assert not any(c.share_emergency_contacts and not c.emergency_contacts for c in children)
    eligible = dict(Eligibility.objects.values_list("child_id", "valid_from"))
    for allocation in Allocation.objects.all():
        # Only an eligible child is assessed for an allocation, after becoming eligible.
        assert allocation.child_id in eligible and eligible[allocation.child_id] <= allocation.period_start
    for account in BudgetAccount.objects.prefetch_related("entries"):
        entries = list(account.entries.all())
        assert account.available == sum(e.delta_available for e in entries)
        assert account.committed == sum(e.delta_committed for e in entries)
    today = timezone.localdate()
    # No one waits for a session that has happened.
    assert not WaitingListEntry.objects.filter(session__date__lt=today, status__in=["waiting", "offered"]).exists()


def assert_no_child_is_booked_twice_at_once():
    """Past or future, every booking of a child is at a different time from their others."""
    times = collections.defaultdict(list)
    rows = Booking.objects.values_list("child_id", "session__date", "session__starts_at", "session__ends_at")
    for child, day, starts, ends in rows:
        times[(child, day)].append((starts, ends))
    for (child, day), spans in times.items():
        spans.sort()
        for (_, ends), (starts, _) in zip(spans, spans[1:], strict=False):
            assert ends <= starts, f"child {child} is booked twice at once on {day:%-d %B %Y}: {spans}"


def demo_family():
    return list(Child.objects.filter(family__carers__user__username="parent@dovebridge.example").order_by("pk"))


def bookable_now(children) -> list[Session]:
    """Sessions these children can book together now, by the booking service's own checks:
    open for booking, places left, ages, eligibility, needs, and money in each budget."""
    now = timezone.now()
    sessions = list(Session.objects.filter(date__gte=timezone.localdate()).select_related("service"))
    taken = taken_in(sessions, now=now)
    found = []
    for session in sessions:
        if taken[session.pk].places + len(children) > session.places or unbookable([session], now=now):
            continue
        if child_problems([session], children):
            continue
        accounts = [BudgetAccount.objects.filter(child=c).first() for c in children]
        if session.price and any(a is None or a.available < session.price for a in accounts):
            continue
        found.append(session)
    return found


ON_DAYS = {  # the demo is loaded on the day someone tries it: in term time or in a holiday
    "term": NOW,
    "new-year": dt.datetime(2027, 1, 4, 18, 0, tzinfo=NOW.tzinfo),
    "easter": dt.datetime(2027, 4, 2, 9, 0, tzinfo=NOW.tzinfo),
    "summer": dt.datetime(2027, 8, 2, 10, 0, tzinfo=NOW.tzinfo),
}


@pytest.mark.parametrize("day", ON_DAYS.values(), ids=ON_DAYS.keys())
def test_the_demo_parent_can_try_every_family_journey(taxonomies, clock, day):
    clock.move_to(day)
    load_families_demo(children=60)
    today = timezone.localdate()
    children = demo_family()
    assert [c.first_name for c in sorted(children, key=lambda c: c.date_of_birth)] == ["Jay", "Anaya"]
    assert Child.objects.get(user__username="young.person@dovebridge.example").first_name == "Jay"
    tiers = dict(Eligibility.objects.filter(valid_from__lte=today, expires_on__gte=today).values_list("child", "tier"))
    for child in children:
        # Eligible, assessed, with a budget, and sessions to book.
        assert tiers.get(child.pk) == "targeted"
        assert Allocation.objects.get(child=child).annual_amount > 0
        assert BudgetAccount.objects.get(child=child).available > 0
        assert len(bookable_now([child])) >= 3, child.first_name
        # Breaks they went to, at services families can see, to give feedback on.
        went = Booking.objects.filter(child=child, status="attended", session__date__lt=today)
        assert went.count() >= 3 and not went.exclude(session__service__status="active").exists()
        # Each went when the session's ages, tier and needs allowed it.
        for booking in went.select_related("session"):
            assert child_problems([booking.session], [child]) == [
                f"{child.first_name} is already booked on {booking.session}."
            ]
    assert bookable_now(children), "no session the brother and sister can book together"
    # Jay is booked already, to try cancelling: the money is set aside in his budget.
    booked = Booking.objects.get(
        child=children[0] if children[0].first_name == "Jay" else children[1], status="confirmed"
    )
    assert booked.price > 0 and BudgetAccount.objects.get(child=booked.child).committed == booked.price
    # A full session with families waiting, whose list one of the children could join.
    now = timezone.now()
    upcoming = list(Session.objects.filter(date__gte=today))
    taken = taken_in(upcoming, now=now)
    full = [s for s in upcoming if taken[s.pk].places >= s.places]
    assert full and WaitingListEntry.objects.filter(session__in=full, status="waiting").count() >= 2
    assert any(not child_problems([s], [c]) and not unbookable([s], now=now) for s in full for c in children)
    assert not WaitingListEntry.objects.filter(child__in=children).exists()
    assert_no_child_is_booked_twice_at_once()
    # The half-term scheme's days are the weekdays of the half-term week, and its requests close
    # at a time a council would set, not the minute the demo was loaded.
    half_term = sorted(Session.objects.filter(scheme__name="Half-term Activity Week").values_list("date", flat=True))
    weeks = {d.isocalendar()[:2] for d in half_term}
    week = [
        (start, end) for name, start, end in school_holidays(today) if "half term" in name and start <= half_term[0]
    ]
    assert half_term and len(weeks) == 1 and all(d.weekday() < 5 for d in half_term), half_term
    assert week[-1][0] < half_term[0] and half_term[-1] < week[-1][1], (week[-1], half_term)
    closes = timezone.localtime(RequestRound.objects.get(scheme__name="Half-term Activity Week").closes_at)
    assert closes.time() == dt.time(17) and closes.date() == today + dt.timedelta(days=7)
    # Families wait only for sessions still to come.
    assert not WaitingListEntry.objects.filter(session__date__lt=today).exists()


def test_each_demo_personal_assistants_skills_are_backed_by_their_training(authority):
    from shortbreaks.assistants.models import Assistant
    from shortbreaks.demo.assistants import load_assistants

    load_assistants(authority=authority, seed=2026)
    for assistant in Assistant.objects.prefetch_related("skills", "training"):
        skills = {s.skill for s in assistant.skills.all()}
        assert skills and skills == {t.skill for t in assistant.training.all()}, assistant.display_name

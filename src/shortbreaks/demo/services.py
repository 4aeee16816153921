"""The demo's services: each organisation's clubs and schemes, drawn from the catalogue so that
a service's name, kinds of break, schedule, ages, activities and description agree, with its
costs, contact, and where it runs. What it says about where it runs, its access and how many
children it takes all come from the same facts (a venue that suits it, or coming to the
family; its capacity), so they never contradict each other. No two providers' services share
a name."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from shortbreaks.directory.models import (
    Contact,
    CostOption,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)

from . import words
from .catalogue import HOLIDAYS_ONLY, OFFERS, OVERNIGHT_MINIMUM_AGE, TERM_TIME, when

BREAKS_BY_ORG_KIND = {
    "voluntary": ["day", "evening", "weekend", "school-holiday", "community"],
    "social_enterprise": ["day", "weekend", "school-holiday", "community"],
    "private": ["at-home", "community", "overnight", "school-holiday"],
    "in_house": ["overnight", "school-holiday", "day", "weekend"],
    "health": ["overnight", "at-home"],
}


# Services that come to the family (at home, or out and about from home) have no venue.
COMES_TO_YOU = {"at-home", "community"}
# The venues (words.VENUES) that suit a service, by its name, else by its kind of break.
VENUES_FOR_OFFER = {
    "Riding for the Disabled": ["Farm"],
    "Sunday Swimming Club": ["Leisure Centre"],
    "Inclusive Sports Club": ["Sports Hall", "Leisure Centre"],
    "Holiday Sports Camp": ["Sports Hall", "Leisure Centre"],
    "Drama and Music Group": ["Arts Centre", "Community Centre"],
    "Sensory Play Sessions": ["Family Hub", "Community Centre"],
    "Messy Play Mornings": ["Family Hub", "Community Centre"],
    "Weekend Adventures": ["Adventure Playground", "Scout Hut"],
    "Outdoor Explorers": ["Adventure Playground", "Scout Hut"],
}
VENUES_FOR_KIND = {
    "evening": ["Youth Centre", "Community Centre"],
    "overnight": ["Resource Centre"],
}
VENUES_OTHERWISE = ["Community Centre", "Family Hub", "Resource Centre", "Youth Centre"]
# How many children a service takes at a time, by how it runs (care at home is one to one).
CAPACITIES = {"overnight": [4, 6, 8], "community": [4, 6, 8], "at-home": [None]}
CAPACITIES_OTHERWISE = [8, 10, 12, 16, 20]
COMES_TO_YOU_ACCESS = {
    "at-home": "We come to you: we will visit to plan how to support your child safely at home.",
    "community": (
        "We meet your child at home or school and go out together, to places we have checked for "
        "access first. Tell us what your child needs to get about safely."
    ),
}


def _venue(loader, org: Organisation, offer, primary: str, new_locations: list) -> Location:
    """The organisation's venue that suits the service (a swimming club at a leisure centre, a
    riding club at a farm), or a new one of the right kind, the same for a seed."""
    kinds = VENUES_FOR_OFFER.get(offer.name) or VENUES_FOR_KIND.get(primary) or VENUES_OTHERWISE
    own = loader.locations_by_org.get(org.id, [])
    for kind in kinds:
        for location in own:
            if location.name.endswith(kind):
                return location
    rng = loader.rng
    postcode, lat, lon = loader.postcode()
    location = Location(
        authority=loader.authority,
        organisation=org,
        name=f"{rng.choice(words.PLACES)} {kinds[0]}",
        address_1=f"{rng.randint(1, 180)} {rng.choice(words.STREETS)}",
        city="Dovebridge",
        postcode=postcode,
        latitude=lat,
        longitude=lon,
        accessibility=rng.choice(words.ACCESS[:4]),
    )
    loader.locations_by_org.setdefault(org.id, []).append(location)
    new_locations.append(location)
    return location


def _distinct_name(offer_name: str, org: Organisation, used: set[str], prefer_own: bool) -> str:
    """The catalogue's name, or the organisation's before it: never another provider's."""
    stem = org.name.split()[0]
    candidates = [f"{stem} {offer_name}", f"{org.name} {offer_name}"]
    if not prefer_own:
        candidates.insert(0, offer_name)
    name = next((c for c in candidates if c not in used), candidates[-1])
    used.add(name)
    return name


def _where(primary: str, location: Location | None, capacity: int | None, districts: list[str]) -> str:
    """Where it runs and for how many, as the description says it."""
    if primary == "at-home":
        return "We come to your home, one to one, at times that suit your family."
    if primary == "community":
        return (
            f"We meet your child at home and go out together, in groups of up to {capacity}, "
            f"across the {', '.join(sorted(districts))} postcode areas."
        )
    return f"It runs at {location.name}, for up to {capacity} children at a time."


PROVIDER_KINDS = ["day", "weekend", "school-holiday"]


def _support(primary: str) -> str:
    if primary == "at-home":  # one to one already
        return "Each child has the same experienced worker each time, so parents and carers can have a real break."
    return (
        "Children are supported by experienced staff, with 1:1 support where needed, so parents and carers "
        "can have a real break."
    )


def _kinds(primary: str, days: list[str]) -> set[str]:
    """A club that runs at the weekend is a weekend break too."""
    kinds = {primary}
    if primary in ("day", "community") and {"SA", "SU"} & set(days):
        kinds.add("weekend")
    return kinds


def _schedule_note(primary: str) -> str:
    if primary in TERM_TIME:
        return "Term time only"
    if primary in HOLIDAYS_ONLY:
        return "School holidays only"
    return ""


class _ListingChecks:
    """When each demo listing was last confirmed: most within the last 11 weeks, a few out of
    date (one of them the council's own in-house service, for an officer to confirm), and the
    demo provider's first listing due for a check within the reminder's fortnight."""

    def __init__(self, rng: random.Random, today: dt.date):
        self.rng, self.today, self.in_house_stale = rng, today, False

    def next(self, org: Organisation, *, first_of_provider: bool) -> dict:
        if first_of_provider:
            # Due in 10 days: the provider's home says "Check due", and the next daily
            # `shortbreaks send_reminders` emails its reminder.
            checked = self.today - dt.timedelta(days=80)
            return {"assured_on": checked, "assurer_email": org.email, "freshness_reminded_on": None}
        if org.kind == Organisation.Kind.IN_HOUSE and not self.in_house_stale:
            self.in_house_stale, days = True, 130
        elif self.rng.random() < 0.07:
            days = self.rng.randint(95, 220)
        else:
            days = self.rng.randint(1, 75)
        checked = self.today - dt.timedelta(days=days)
        # Out of date ones were reminded a fortnight before (send_reminders does this daily).
        reminded = checked + dt.timedelta(days=76) if days > 76 else None
        return {"assured_on": checked, "assurer_email": org.email, "freshness_reminded_on": reminded}


def _last_changed_when_last_checked(services: list[Service]) -> None:
    """A listing last checked in August was not "last updated" on the day the demo loaded:
    each demo listing last changed on the morning it was last checked."""
    by_day: dict = {}
    for service in services:
        by_day.setdefault(service.assured_on, []).append(service.pk)
    for day, ids in by_day.items():
        morning = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        Service.objects.filter(pk__in=ids).update(updated_at=morning)


def make_services(loader, organisations: list[Organisation]) -> None:
    rng = loader.rng
    services, links = [], {"needs": [], "kinds": []}
    schedules, costs, contacts, areas, sals = [], [], [], [], []
    needs_through, kinds_through = Service.needs.through, Service.break_kinds.through
    used_names: set[str] = set()
    new_locations: list[Location] = []
    # Listing checks draw on their own generator, so the rest of the demo stays as it was.
    checks = _ListingChecks(random.Random(20), timezone.localdate())
    for index, org in enumerate(organisations):
        offered = BREAKS_BY_ORG_KIND[org.kind]
        # provider@'s organisation (the first, a charity) runs a term-time club, a weekend club
        # and a holiday scheme, all open: its block contract, returns and sessions need them.
        primaries = PROVIDER_KINDS if index == 0 else rng.sample(offered, k=min(len(offered), rng.randint(1, 4)))
        for primary in primaries:
            offer = rng.choice(OFFERS[primary])
            name = _distinct_name(offer.name, org, used_names, prefer_own=rng.random() < 0.4)
            capacity = rng.choice(CAPACITIES.get(primary, CAPACITIES_OTHERWISE))
            if primary in COMES_TO_YOU:
                location = None
                districts = rng.sample(loader.districts, k=rng.randint(3, 7))
                accessibility = COMES_TO_YOU_ACCESS[primary]
            else:
                location, districts = _venue(loader, org, offer, primary, new_locations), []
                accessibility = location.accessibility
            low, high = rng.choice(offer.ages)
            if primary == "overnight":
                low = max(low, OVERNIGHT_MINIMUM_AGE)
            chosen_needs = rng.sample(loader.needs, k=rng.randint(2, 5))
            days = offer.days.split(",")
            kinds = _kinds(primary, days)
            status = (
                Service.Status.ACTIVE if index == 0 else rng.choices(list(Service.Status), weights=[90, 3, 2, 5])[0]
            )
            is_free = primary not in ("at-home", "overnight") and rng.random() < 0.4
            activities = rng.sample(offer.activities, k=min(3, len(offer.activities)))
            registration, reg_number = "", ""
            if primary == "overnight":
                registration, reg_number = "ofsted", f"SC{rng.randint(100000, 999999)}"
            elif primary == "at-home":
                registration, reg_number = "cqc", f"1-{rng.randint(100000000, 999999999)}"
            service = Service(
                authority=loader.authority,
                organisation=org,
                name=name,
                status=status,
                is_published=True,
                description=(
                    f"{name} offers {', '.join(activities[:-1])} and {activities[-1]} for disabled children "
                    f"and young people aged {low} to {high}, {when(offer, primary)}. "
                    f"{_where(primary, location, capacity, districts)} {_support(primary)}"
                ),
                minimum_age=low,
                maximum_age=high,
                capacity=capacity,
                is_free=is_free,
                fees="" if is_free else "Can be paid from a personal budget or direct payment.",
                registration=registration,
                registration_number=reg_number,
                send_support=(
                    "We meet every family before the first session to write a one-page profile "
                    "of how your child communicates, what they enjoy and what helps them feel calm."
                ),
                staff_training=rng.choice(words.TRAINING),
                accessibility=accessibility,
                how_to_contact=(
                    f"Call or email {org.name} to arrange a visit. "
                    "Families with a short breaks allocation can book directly."
                ),
                email=org.email,
                phone=org.phone,
                url=org.website,
                **checks.next(org, first_of_provider=index == 0 and primary == primaries[0]),
            )
            services.append(service)
            links["needs"] += [needs_through(service_id=service.id, taxonomyterm_id=n.id) for n in chosen_needs]
            links["kinds"] += [
                kinds_through(service_id=service.id, taxonomyterm_id=loader.kinds[k].id) for k in sorted(kinds)
            ]
            schedules.append(
                Schedule(
                    service=service,
                    byday=offer.days,
                    opens_at=dt.time.fromisoformat(offer.opens),
                    closes_at=dt.time.fromisoformat(offer.closes),
                    description=_schedule_note(primary),
                )
            )
            if not is_free:
                amount, per = {
                    "at-home": (rng.randint(18, 26), "per hour"),
                    "overnight": (rng.randint(150, 320), "per night"),
                    "school-holiday": (rng.randint(25, 60), "per day"),
                }.get(primary, (rng.randint(5, 30), "per session"))
                costs.append(CostOption(service=service, amount=Decimal(amount), amount_description=per))
            contacts.append(
                Contact(
                    service=service,
                    name=f"{rng.choice(words.ADULT_NAMES)} {rng.choice(words.LAST_NAMES)}",
                    title=rng.choice(["Service manager", "Activities coordinator", "Bookings officer"]),
                    email=org.email,
                    phone=org.phone,
                )
            )
            if location is None:
                areas += [ServiceArea(service=service, district=district) for district in districts]
            else:
                sals.append(ServiceAtLocation(service=service, location=location))
        if (index + 1) % max(1, len(organisations) // 10) == 0:
            loader.progress(f"services: organisations {index + 1} of {len(organisations)} done")
    Location.objects.bulk_create(new_locations, batch_size=500)
    Service.objects.bulk_create(services, batch_size=500)
    _last_changed_when_last_checked(services)
    needs_through.objects.bulk_create(links["needs"], batch_size=2000)
    kinds_through.objects.bulk_create(links["kinds"], batch_size=2000)
    for model, rows in (
        (Schedule, schedules),
        (CostOption, costs),
        (Contact, contacts),
        (ServiceArea, areas),
        (ServiceAtLocation, sals),
    ):
        model.objects.bulk_create(rows, batch_size=1000)
    loader.progress(f"services: {len(services)} created")

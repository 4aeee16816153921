"""The demo's services: each organisation's clubs and schemes, drawn from the catalogue so that
a service's name, kinds of break, schedule, ages, activities and description agree, with its
costs, contact, and where it runs."""

import datetime as dt
from decimal import Decimal

from shortbreaks.directory.models import (
    Contact,
    CostOption,
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


def make_services(loader, organisations: list[Organisation]) -> None:
    rng = loader.rng
    services, links = [], {"needs": [], "kinds": []}
    schedules, costs, contacts, areas, sals = [], [], [], [], []
    needs_through, kinds_through = Service.needs.through, Service.break_kinds.through
    for index, org in enumerate(organisations):
        offered = BREAKS_BY_ORG_KIND[org.kind]
        for primary in rng.sample(offered, k=min(len(offered), rng.randint(1, 4))):
            offer = rng.choice(OFFERS[primary])
            name = offer.name
            if rng.random() < 0.4:
                name = f"{org.name.split()[0]} {name}"
            low, high = rng.choice(offer.ages)
            if primary == "overnight":
                low = max(low, OVERNIGHT_MINIMUM_AGE)
            chosen_needs = rng.sample(loader.needs, k=rng.randint(2, 5))
            days = offer.days.split(",")
            kinds = _kinds(primary, days)
            status = rng.choices(list(Service.Status), weights=[90, 3, 2, 5])[0]
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
                    f"and young people aged {low} to {high}, {when(offer, primary)}. Children are supported "
                    "by experienced staff, with 1:1 support where needed, so parents and carers can have "
                    "a real break."
                ),
                minimum_age=low,
                maximum_age=high,
                capacity=rng.choice([None, 6, 8, 10, 12, 16, 20, 30]),
                is_free=is_free,
                fees="" if is_free else "Can be paid from a personal budget or direct payment.",
                registration=registration,
                registration_number=reg_number,
                send_support=(
                    "We meet every family before the first session to write a one-page profile "
                    "of how your child communicates, what they enjoy and what helps them feel calm."
                ),
                staff_training=rng.choice(words.TRAINING),
                accessibility=rng.choice(words.ACCESS),
                how_to_contact=(
                    f"Call or email {org.name} to arrange a visit. "
                    "Families with a short breaks allocation can book directly."
                ),
                email=org.email,
                phone=org.phone,
                url=org.website,
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
            if primary in ("at-home", "community"):
                for district in rng.sample(loader.districts, k=rng.randint(3, 7)):
                    areas.append(ServiceArea(service=service, district=district))
            else:
                sals.append(ServiceAtLocation(service=service, location=rng.choice(loader.locations_by_org[org.id])))
        if (index + 1) % max(1, len(organisations) // 10) == 0:
            loader.progress(f"services: organisations {index + 1} of {len(organisations)} done")
    Service.objects.bulk_create(services, batch_size=500)
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

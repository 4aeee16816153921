"""Reads about personal assistants. Families see only assistants who are vetted, in date and
not hidden; a PA sees only their own profile and the bookings made with them."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from shortbreaks.core.postcodes import KM_PER_MILE, Place, distance_km
from shortbreaks.families.models import LedgerEntry

from .models import NEED_SKILLS, Assistant, AssistantBooking, AssistantSkill, Availability, Skill, Training

WARN_DAYS = 30  # expiring checks and training are flagged this long before


def lapsed_training(today: dt.date):
    return Training.objects.filter(assistant=OuterRef("pk"), expires_on__lt=today)


def visible_to_families(*, authority, today: dt.date) -> QuerySet[Assistant]:
    return Assistant.objects.filter(
        authority=authority, status=Assistant.Status.VETTED, hidden=False, dbs_renew_by__gte=today
    ).exclude(Exists(lapsed_training(today)))


def checks_due(assistant: Assistant, today: dt.date) -> list[str]:
    """What is expiring or has lapsed, as the PA and the officer should read it."""
    due = []
    if assistant.dbs_renew_by is None:
        due.append("No DBS check recorded.")
    elif assistant.dbs_renew_by < today:
        due.append(f"The DBS check needed renewing by {assistant.dbs_renew_by:%-d %B %Y}.")
    elif assistant.dbs_renew_by <= today + dt.timedelta(days=WARN_DAYS):
        due.append(f"The DBS check needs renewing by {assistant.dbs_renew_by:%-d %B %Y}.")
    for training in assistant.training.all():
        if training.expires_on and training.expires_on < today:
            due.append(f"{training.course} training ran out on {training.expires_on:%-d %B %Y}.")
        elif training.expires_on and training.expires_on <= today + dt.timedelta(days=WARN_DAYS):
            due.append(f"{training.course} training runs out on {training.expires_on:%-d %B %Y}.")
    return due


def skills_for_child(child) -> list[str]:
    codes = child.needs.values_list("code", flat=True)
    return sorted({skill for code in codes for skill in NEED_SKILLS.get(code, [])})


@dataclass
class Match:
    assistant: Assistant
    miles: float | None


def search(
    *,
    authority,
    today: dt.date,
    skills: list[str],
    place: Place | None,
    day: int | None,
    part: str | None,
    within_miles: int | None = None,
) -> list[Match]:
    """Vetted assistants with every skill asked for, free on that day and part of the day,
    who travel as far as the family's postcode (and within the distance the family chose);
    nearest first."""
    assistants = visible_to_families(authority=authority, today=today)
    for skill in skills:
        assistants = assistants.filter(Exists(AssistantSkill.objects.filter(assistant=OuterRef("pk"), skill=skill)))
    if day is not None or part:
        slot = Q(assistant=OuterRef("pk"))
        if day is not None:
            slot &= Q(day=day)
        if part:
            slot &= Q(part=part)
        assistants = assistants.filter(Exists(Availability.objects.filter(slot)))
    matches = []
    for assistant in assistants.prefetch_related("skills"):
        miles = None
        if place is not None:
            if assistant.latitude is None:
                continue
            km = distance_km(place.latitude, place.longitude, assistant.latitude, assistant.longitude)
            if km > assistant.travel_km:
                continue
            miles = km / KM_PER_MILE
            if within_miles is not None and miles > within_miles:
                continue
        matches.append(Match(assistant, miles))
    return sorted(matches, key=lambda m: (m.miles is None, m.miles or 0, m.assistant.display_name))


def search_advice(*, authority, today: dt.date, skills, place, day, part, within_miles) -> list[str]:
    """When nobody matches: each change the parent can make on the form that would find
    someone, said with how many it would find. Only what they chose can be undone."""
    asked = {"skills": list(skills), "place": place, "day": day, "part": part, "within_miles": within_miles}

    def found(**change) -> int:
        return len(search(authority=authority, today=today, **(asked | change)))

    advice = []
    labels = dict(Skill.choices)
    for skill in skills:
        if n := found(skills=[s for s in skills if s != skill]):
            advice.append(f"Untick “{labels.get(skill, skill)}”: {_people(n)} without it")
    if within_miles is not None and (n := found(within_miles=None)):
        advice.append(f"Choose “Any distance”: {_people(n)} further away")
    if day is not None and (n := found(day=None)):
        advice.append(f"Choose “Any day”: {_people(n)} on other days")
    if part and (n := found(part=None)):
        advice.append(f"Choose “Any time”: {_people(n)} at other times of day")
    everything = {"skills": [], "within_miles": None, "day": None, "part": None}
    if not advice and asked != asked | everything and (n := found(**everything)):
        # No one change finds anyone: say all of them, in the words of the form.
        undo = [" and ".join(f"“{labels.get(s, s)}”" for s in skills)] if skills else []
        undo = [f"Untick {undo[0]}"] if undo else []
        undo += [
            f"choose “{label}”"
            for value, label in ((within_miles, "Any distance"), (day, "Any day"), (part, "Any time"))
            if value not in (None, "")
        ]
        advice.append(f"{', '.join(undo)}: {_people(n)}")
    return advice


def _people(n: int) -> str:
    return f"{n} personal assistant{'s' if n != 1 else ''}"


@dataclass
class FamilyBooking:
    """A PA booking with its money as the child's ledger holds it now."""

    booking: AssistantBooking
    set_aside: Decimal  # committed on the budget now
    paid: Decimal
    released: Decimal  # gone back to the budget

    @property
    def beyond_set_aside(self) -> Decimal:
        """What approving the waiting timesheet needs on top of what is set aside (extra hours)."""
        timesheet = getattr(self.booking, "timesheet", None)
        return max(timesheet.owed - self.set_aside, Decimal("0")) if timesheet else Decimal("0")


def family_bookings(*, children, pk=None) -> list[FamilyBooking]:
    """The family's PA bookings (or the one with that pk), newest first, each with what is set
    aside and paid for it now, summed from the ledger entries that name it (two queries,
    however many bookings)."""
    bookings = AssistantBooking.objects.filter(child__in=children)
    if pk is not None:
        bookings = bookings.filter(pk=pk)
    bookings = list(bookings.select_related("assistant", "child", "timesheet").order_by("-date", "-starts_at"))
    money = {f"pa:{b.pk}": [Decimal("0")] * 3 for b in bookings}
    entries = LedgerEntry.objects.filter(account__child__in=children, reference__in=list(money))
    for reference, kind, amount, committed, spent in entries.values_list(
        "reference", "kind", "amount", "delta_committed", "delta_spent"
    ):
        totals = money[reference]
        totals[0] += committed
        totals[1] += spent
        if kind == LedgerEntry.Kind.BOOKING_RELEASED:
            totals[2] += amount
    return [FamilyBooking(b, *money[f"pa:{b.pk}"]) for b in bookings]

"""Reads about personal assistants. Families see only assistants who are vetted, in date and
not hidden; a PA sees only their own profile and the bookings made with them."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from shortbreaks.core.postcodes import Place, distance_km

from .models import NEED_SKILLS, Assistant, AssistantSkill, Availability, Training

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
        due.append(f"The DBS check needed renewing by {assistant.dbs_renew_by:%d %B %Y}.")
    elif assistant.dbs_renew_by <= today + dt.timedelta(days=WARN_DAYS):
        due.append(f"The DBS check needs renewing by {assistant.dbs_renew_by:%d %B %Y}.")
    for training in assistant.training.all():
        if training.expires_on and training.expires_on < today:
            due.append(f"{training.course} training ran out on {training.expires_on:%d %B %Y}.")
        elif training.expires_on and training.expires_on <= today + dt.timedelta(days=WARN_DAYS):
            due.append(f"{training.course} training runs out on {training.expires_on:%d %B %Y}.")
    return due


def skills_for_child(child) -> list[str]:
    codes = child.needs.values_list("code", flat=True)
    return sorted({skill for code in codes for skill in NEED_SKILLS.get(code, [])})


@dataclass
class Match:
    assistant: Assistant
    distance_km: float | None


def search(
    *, authority, today: dt.date, skills: list[str], place: Place | None, day: int | None, part: str | None
) -> list[Match]:
    """Vetted assistants with every skill asked for, free on that day and part of the day,
    who travel as far as the family's postcode; nearest first."""
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
        distance = None
        if place is not None:
            if assistant.latitude is None:
                continue
            distance = distance_km(place.latitude, place.longitude, assistant.latitude, assistant.longitude)
            if distance > assistant.travel_km:
                continue
        matches.append(Match(assistant, distance))
    return sorted(matches, key=lambda m: (m.distance_km is None, m.distance_km or 0, m.assistant.display_name))

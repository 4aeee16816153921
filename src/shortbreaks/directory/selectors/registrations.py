"""Reads for registering organisations: what is waiting for the council, the organisations a
new one may duplicate, and an organisation's people."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.core.roles import Role

from ..models import Location, Organisation, Service

# Similar names: this close by difflib's ratio, or one name inside the other, once the words
# every organisation uses are left out ("The Rainbow Trust Ltd" and "Rainbow Trust").
SIMILAR_NAME_RATIO = 0.8
COMMON_WORDS = {"the", "ltd", "limited", "cic", "plc", "llp", "and", "of", "uk", "cio", "community", "interest"}
NUMBERS = [
    ("charity_number", "charity number"),
    ("company_number", "company number"),
    ("ppon", "PPON"),
    ("ofsted_urn", "Ofsted URN"),
    ("cqc_location_id", "CQC location ID"),
]


def registrations_waiting(*, authority) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(authority=authority, registration=Organisation.Registration.PENDING)
        .select_related("registered_by")
        .order_by("created_at")
    )


def normalised_name(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", (name or "").lower().replace("&", " and ")).split()
    return " ".join(w for w in words if w not in COMMON_WORDS)


def names_similar(a: str, b: str) -> bool:
    first, second = normalised_name(a), normalised_name(b)
    if not first or not second:
        return False
    if first in second or second in first:
        return True
    return difflib.SequenceMatcher(None, first, second).ratio() >= SIMILAR_NAME_RATIO


def _compact_postcode(column: str):
    return Replace(Upper(column), Value(" "), Value(""))


@dataclass
class LikelyDuplicate:
    organisation: Organisation
    reasons: list[str] = field(default_factory=list)


def likely_duplicates(organisation: Organisation) -> list[LikelyDuplicate]:
    """Other organisations of the authority that may be this one: the same registration number
    (on the organisation, or an Ofsted or CQC number on one of its services), or a similar name
    at the same postcode (the organisation's own, or one of its venues')."""
    found: dict = {}

    def note(other: Organisation, reason: str) -> None:
        found.setdefault(other.pk, LikelyDuplicate(other)).reasons.append(reason)

    others = Organisation.objects.filter(authority=organisation.authority).exclude(pk=organisation.pk)
    numbers = [(name, label, getattr(organisation, name)) for name, label in NUMBERS if getattr(organisation, name)]
    if numbers:
        same = Q()
        for name, _, value in numbers:
            same |= Q(**{f"{name}__iexact": value})
        for other in others.filter(same):
            for name, label, value in numbers:
                if getattr(other, name).upper() == value.upper():
                    note(other, f"The same {label}: {value}")
        inspected = [value for name, _, value in numbers if name in ("ofsted_urn", "cqc_location_id")]
        if inspected:
            services = (
                Service.objects.filter(authority=organisation.authority, registration_number__in=inspected)
                .exclude(organisation=organisation)
                .select_related("organisation")
            )
            for service in services:
                note(service.organisation, f"Its service {service.name} is registered as {service.registration_number}")
    if organisation.postcode:
        compact = organisation.postcode.replace(" ", "").upper()
        nearby = (
            others.annotate(compact_postcode=_compact_postcode("postcode"))
            .filter(Q(compact_postcode=compact) | Q(pk__in=_venues_at(organisation.authority, compact)))
            .distinct()
        )
        for other in nearby:
            if names_similar(organisation.name, other.name):
                note(other, f"A similar name at the same postcode, {organisation.postcode}")
    return sorted(found.values(), key=lambda d: d.organisation.name)


def _venues_at(authority, compact: str):
    return (
        Location.objects.filter(authority=authority)
        .annotate(compact_postcode=_compact_postcode("postcode"))
        .filter(compact_postcode=compact)
        .values("organisation_id")
    )


def members_of(organisation: Organisation) -> QuerySet[RoleAssignment]:
    """The people acting for an organisation, administrators first."""
    return (
        RoleAssignment.objects.filter(organisation=organisation, role=Role.PROVIDER)
        .select_related("user")
        .order_by("-administers", "user__full_name", "user__email")
    )


def administers(*, user, organisation: Organisation) -> bool:
    return RoleAssignment.objects.filter(
        user=user, organisation=organisation, role=Role.PROVIDER, administers=True
    ).exists()

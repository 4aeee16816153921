"""Reads for feedback and safeguarding: the breaks a family can tell us about, who at the
council reads a safety concern (named, for the child's and the parent's pages), and the
alerts with everything an officer needs to act on one."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shortbreaks.accounts.models import User
from shortbreaks.bookings.models import Booking
from shortbreaks.core.roles import Role
from shortbreaks.families.models import Carer

from ..models import Feedback, SafeguardingAlert, SafeguardingStep
from . import policy_for

# How far back a family is offered breaks to tell us about (they can still write about older
# ones in the comment).
LOOK_BACK = dt.timedelta(days=365)


def breaks_to_review(*, children, authority, today: dt.date, from_child: bool) -> QuerySet[Booking]:
    """The breaks these children went to (attended bookings) in the last year that are still
    waiting for this kind of feedback (a parent's, or the child's own: each is asked once a
    break), most recent first, with what names them. `children` is always the giver's own
    (children_of_carer, or a young person's own record): the caller's rule, never widened here."""
    told = Feedback.objects.filter(
        session=OuterRef("session"), child=OuterRef("child"), from_child=from_child, authority=authority
    )
    return (
        Booking.objects.filter(
            authority=authority,
            child__in=children,
            status=Booking.Status.ATTENDED,
            session__date__range=(today - LOOK_BACK, today),
        )
        .exclude(Exists(told))
        .select_related("session__service__organisation", "child")
        .order_by("-session__date", "-session__starts_at", "child__first_name")
    )


def break_label(booking: Booking, *, today: dt.date, with_child: bool) -> str:
    """ "Holiday Playscheme, Acorn Trust: Saturday 5 December", the year only when not this
    one, and whose break it was when the list holds more than one child's."""
    session = booking.session
    day = f"{session.date:%A} {session.date.day} {session.date:%B}"
    if session.date.year != today.year:
        day += f" {session.date.year}"
    label = f"{session.service.name}, {session.service.organisation.name}: {day}"
    return f"{label} ({booking.child.first_name})" if with_child else label


@dataclass(frozen=True)
class SafeguardingContact:
    """Who reads a safety concern, in words for a page: "Dee Lane, who keeps children safe at
    Dovebridge Borough Council"."""

    name: str  # a person's name, or the role in plain words when no one is named
    council: str
    named: bool
    several: bool = False

    @property
    def words(self) -> str:
        if self.named:
            return f"{self.name}, who keeps children safe at {self.council},"
        return self.name


def safeguarding_contact(authority) -> SafeguardingContact:
    """The person named in the monitoring policy; else the one account holding the
    safeguarding officer role; else the role itself in plain words. Alerts go to the same
    people (services/feedback.alert_recipients)."""
    council = authority.name
    policy = policy_for(authority)
    if policy.safeguarding_officer_name.strip():
        return SafeguardingContact(policy.safeguarding_officer_name.strip(), council, named=True)
    names = [user.full_name.strip() for user in safeguarding_officers(authority)]
    if len(names) == 1 and names[0]:
        return SafeguardingContact(names[0], council, named=True)
    if names:
        return SafeguardingContact(f"The people who keep children safe at {council}", council, False, several=True)
    return SafeguardingContact(f"The person who keeps children safe at {council}", council, named=False)


def safeguarding_officers(authority) -> QuerySet[User]:
    return (
        User.objects.filter(
            role_assignments__authority=authority,
            role_assignments__role=Role.SAFEGUARDING_OFFICER,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def alerts_for(*, authority) -> QuerySet[SafeguardingAlert]:
    """Every alert of the council, open ones first (newest first within each), with when it
    was closed and its latest step, for the list."""
    steps = SafeguardingStep.objects.filter(alert=OuterRef("pk"))
    return (
        SafeguardingAlert.objects.filter(authority=authority)
        .annotate(
            closed_at=Subquery(steps.filter(kind=SafeguardingStep.CLOSING).values("taken_at")[:1]),
            last_step_kind=Subquery(steps.order_by("-taken_at").values("kind")[:1]),
            last_step_at=Coalesce(Subquery(steps.order_by("-taken_at").values("taken_at")[:1]), "raised_at"),
        )
        .select_related("feedback__service__organisation", "feedback__child", "feedback__session")
        .order_by(F("closed_at").asc(nulls_first=True), "-raised_at")
    )


def alert_page(*, authority) -> QuerySet[SafeguardingAlert]:
    """One alert with all an officer acts on: the child and the family's contacts, the session,
    its provider, and the steps in time order."""
    return (
        SafeguardingAlert.objects.filter(authority=authority)
        .select_related(
            "feedback__service__organisation",
            "feedback__session__location",
            "feedback__child__family",
            "feedback__given_by",
        )
        .prefetch_related(
            Prefetch("feedback__child__family__carers", queryset=Carer.objects.select_related("user")),
            Prefetch("steps", queryset=SafeguardingStep.objects.select_related("taken_by").order_by("taken_at")),
        )
    )

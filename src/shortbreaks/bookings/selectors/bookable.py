"""Whether a session can be booked: the one check that the booking pages, the booking API,
waiting lists, waiting-list offers and request rounds all make.

A session is bookable when its service is one the public may see (published, active or
temporarily closed, by a published organisation: what the directory shows), and, for first
come first served booking, when its booking window is open and its scheme is not sharing its
places out by request. A round shares out its own sessions, so `by_request` asks only the
first question."""

import datetime as dt

from django.utils import timezone

from shortbreaks.core.templatetags.govuk import clock
from shortbreaks.directory.selectors.search import public_services

from ..models import RequestRound, Session
from ..problems import Problem


def withdrawn(sessions: list[Session]) -> list[Session]:
    """The sessions whose service the public can no longer see (withdrawn, unpublished,
    defunct, or its organisation hidden)."""
    if not sessions:
        return []
    public = set(
        public_services(authority=sessions[0].authority)
        .filter(pk__in={s.service_id for s in sessions})
        .values_list("pk", flat=True)
    )
    return [s for s in sessions if s.service_id not in public]


def live_rounds(sessions: list[Session]) -> dict:
    """Scheme id -> its request round not yet confirmed, for the sessions of schemes sharing
    their places out by request (booked only through the round)."""
    schemes = {s.scheme_id for s in sessions if s.scheme_id}
    if not schemes:
        return {}
    live = RequestRound.objects.filter(scheme_id__in=schemes).exclude(status=RequestRound.Status.CONFIRMED)
    return {r.scheme_id: r for r in live.select_related("scheme")}


def asking_words(round_: RequestRound) -> str:
    closes = timezone.localtime(round_.closes_at)
    return (
        f"Places on {round_.scheme} are not booked first come, first served: they are shared out by "
        f"request. Ask for {round_.scheme} sessions by {clock(closes)} on {closes.day} {closes:%B %Y}."
    )


def shared_out_by_request(sessions: list[Session]) -> list[str]:
    """Sessions of a scheme with a request round not yet confirmed are not booked first come,
    first served: their places are shared out fairly when the round closes."""
    return [Problem(asking_words(r), kind="by_request", round_=r) for r in live_rounds(sessions).values()]


def unbookable(sessions: list[Session], *, now: dt.datetime, by_request: bool = False) -> list[str]:
    """Why these sessions cannot be booked now, in words for the family; empty if they can."""
    gone = withdrawn(sessions)
    problems = [f"{s} can no longer be booked: {s.service.name} is not offered any more." for s in gone]
    if by_request:
        return problems
    gone = {s.pk for s in gone}
    problems += [
        f"{s} is not open for booking."
        for s in sessions
        if s.pk not in gone and not s.booking_opens_at <= now < s.booking_closes_at
    ]
    return problems + shared_out_by_request(sessions)

"""What a family reads where a scheme's sessions are shared out by request rather than booked
(the service page, the booking page): the scheme, when its sessions are, and how and by when
to ask for places. The sessions are the ones `bookable.live_rounds` says are not bookable."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from shortbreaks.core.templatetags.govuk import clock

from ..models import RequestRound, Session
from .bookable import live_rounds


def _moment(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{clock(local)} on {local:%A} {local.day} {local:%B %Y}"


def dates_words(days: list[dt.date]) -> str:
    """15 to 19 February 2027; 26 February to 2 March 2027; 30 December 2026 to 3 January 2027."""
    first, last = min(days), max(days)
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


@dataclass
class Asking:
    round: RequestRound
    sessions: list[Session]
    dates: str  # when the scheme's sessions are
    closes: str  # the deadline for requests
    opens: str  # when requests open, if they have not yet
    open: bool  # taking requests now

    @property
    def scheme(self):
        return self.round.scheme


def asking(sessions: list[Session], *, now: dt.datetime) -> tuple[list[Session], list[Asking]]:
    """The sessions booked first come, first served, and for each scheme sharing its places out
    by request, its sessions and how to ask for them."""
    rounds = live_rounds(sessions)
    bookable = [s for s in sessions if s.scheme_id not in rounds]
    by_scheme: dict = {}
    for session in sessions:
        if session.scheme_id in rounds:
            by_scheme.setdefault(session.scheme_id, []).append(session)
    return bookable, [
        Asking(
            round=rounds[scheme_id],
            sessions=mine,
            dates=dates_words([s.date for s in mine]),
            closes=_moment(rounds[scheme_id].closes_at),
            opens=_moment(rounds[scheme_id].opens_at) if now < rounds[scheme_id].opens_at else "",
            open=rounds[scheme_id].is_open(now),
        )
        for scheme_id, mine in by_scheme.items()
    ]

"""What cancelling costs: the one reading of the authority's BookingPolicy that booking_cancel
follows and the pages use to tell families beforehand, in the same words."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from shortbreaks.core.templatetags.govuk import clock

from ..models import BookingPolicy, Session
from .policies import policy_for


@dataclass(frozen=True)
class CancellationTerms:
    late: bool  # after the session's cancellation deadline
    charged: bool  # the price is paid from the budget although the child does not go
    price: Decimal
    deadline: dt.datetime

    @property
    def refunded(self) -> bool:
        return self.price > 0 and not self.charged


def cancellation_terms(
    *, session: Session, price: Decimal, now: dt.datetime, policy: BookingPolicy | None = None
) -> CancellationTerms:
    late = now > session.cancellation_deadline
    policy = policy or policy_for(session.authority)
    charged = price > 0 and late and policy.late_cancellation_charged
    return CancellationTerms(late=late, charged=charged, price=price, deadline=session.cancellation_deadline)


def when_words(moment: dt.datetime) -> str:
    """6pm on Friday 4 December: a deadline as a family reads it, in the council's time zone."""
    local = timezone.localtime(moment)
    return f"{clock(local)} on {local:%A} {local.day} {local:%B}"


def policy_words(policy: BookingPolicy) -> list[str]:
    """The late-cancellation and no-show rules in plain words, for the booking page."""
    return [
        "If you cancel after a session's deadline, the price is still paid from your child's budget, "
        "as if they had gone."
        if policy.late_cancellation_charged
        else "If you cancel after a session's deadline, the money still comes back to your child's budget.",
        "If your child does not come and you did not cancel, the price is paid from their budget."
        if policy.no_show_charged
        else "If your child does not come, the money comes back to their budget.",
    ]

"""The bookings app's background work, run by `shortbreaks db_worker`: the booking
confirmation is written there, from the committed bookings, not in the request that made them
(the rush's successes stay short)."""

from django_tasks import task

from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import time_range

from .models import Booking, BookingGroup
from .selectors.budgets import left_to_book
from .selectors.calendar import calendar_for
from .selectors.cancelling import when_words


@task()
def confirm_booking(*, group_id: str) -> None:
    """The confirmation to whoever booked, with a calendar file, saying for each break when,
    where, what it costs, until when it can be cancelled, and who to ask."""
    group = BookingGroup.objects.select_related("authority", "booked_by").get(pk=group_id)
    bookings = list(
        group.bookings.select_related("child", "session__service__organisation", "session__location").order_by(
            "session__date", "session__starts_at", "child__first_name"
        )
    )
    if not bookings or group.booked_by is None:
        return
    authority, booked_by = group.authority, group.booked_by
    names = sorted({b.child.first_name for b in bookings})
    left = left_to_book({b.child for b in bookings if b.price})
    email_after_commit(
        to=[booked_by.email],
        subject="Your short breaks booking",
        body="You have booked:\n\n"
        + "\n\n".join(_booking_lines(b) for b in bookings)
        + ("\n\n" + "\n".join(left) if left else "")
        + f"\n\nThe attached calendar file adds {'it' if len(bookings) == 1 else 'them'} to your calendar. "
        f"You can cancel from 'Your bookings': {absolute(authority, 'bookings:mine')}\n",
        why=f"you booked {'this short break' if len(bookings) == 1 else 'these short breaks'} for "
        f"{' and '.join(names)}",
        authority=authority,
        attachments=[["short-breaks.ics", calendar_for(bookings).decode(), "text/calendar"]],
    )


def _booking_lines(booking: Booking) -> str:
    session, service = booking.session, booking.session.service
    at = session.venue
    where = (
        ", ".join(p for p in (at.name, at.address_1, at.address_2, at.city, at.postcode) if p)
        if at
        else "The provider will agree with you where it happens (this service comes to you)"
    )
    cost = f"£{booking.price:,.2f} from {booking.child.first_name}'s budget" if booking.price else "Free"
    contact = (
        "; ".join(p for p in (service.phone, service.email) if p) or service.how_to_contact or "See the service page"
    )
    return (
        f"{booking.child.first_name}: {service.name} ({service.organisation.name})\n"
        f"When: {session.date:%A} {session.date.day} {session.date:%B %Y}, "
        f"{time_range(session.starts_at, session.ends_at)}\n"
        f"Where: {where}\n"
        f"Cost: {cost}{', with transport' if booking.with_transport else ''}\n"
        f"Cancel by {when_words(session.cancellation_deadline)} "
        f"{'to get the money back' if booking.price else 'if your child cannot go'}\n"
        f"Questions about the session: {contact}"
    )

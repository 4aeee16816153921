"""The bookings app's background work, run by `shortbreaks db_worker`: the booking
confirmation is written there, from the committed bookings, not in the request that made them
(the rush's successes stay short)."""

from django_tasks import task

from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from .models import BookingGroup
from .selectors.budgets import left_to_book
from .selectors.calendar import booking_lines, calendar_for


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
        + "\n\n".join(booking_lines(b) for b in bookings)
        + ("\n\n" + "\n".join(left) if left else "")
        + f"\n\nThe attached calendar file adds {'it' if len(bookings) == 1 else 'them'} to your calendar. "
        f"You can cancel from 'Your bookings': {absolute(authority, 'bookings:mine')}\n",
        why=f"you booked {'this short break' if len(bookings) == 1 else 'these short breaks'} for "
        f"{' and '.join(names)}",
        authority=authority,
        attachments=[["short-breaks.ics", calendar_for(bookings).decode(), "text/calendar"]],
    )

"""The provider's register: who came. A delivered break is paid from the child's budget; a
no-show follows the authority's policy. Everyone can be marked at once, and any mark undone
(the booking is booked again and its budget entry corrected, never deleted)."""

from django.db import transaction
from django.utils import timezone

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.families.models import LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry

from ..models import Booking, Session
from ..selectors.policies import policy_for

# The budget entries a mark posts, which its undo corrects.
_MARK_ENTRIES = (LedgerEntry.Kind.DELIVERED_PAID, LedgerEntry.Kind.BOOKING_RELEASED)


def _locked(pks):
    return Booking.objects.select_for_update(of=("self",)).select_related("session", "child").filter(pk__in=pks)


def _not_before_the_day(session: Session) -> None:
    """Who came is known on the day, not before: an early mark would pay for a break not yet had."""
    if session.date > timezone.localdate():
        raise NotAllowed(f"Attendance can be marked from the day of the session, {session.date:%-d %B %Y}.")


def _mark(booking: Booking, *, attended: bool, recorded_by) -> Booking:
    """Inside the caller's transaction, with the booking locked."""
    _not_before_the_day(booking.session)
    if booking.status != Booking.Status.CONFIRMED:
        raise NotAllowed(
            f"Attendance is already recorded for {booking.child.first_name}, or the booking was cancelled."
        )
    booking.status = Booking.Status.ATTENDED if attended else Booking.Status.NO_SHOW
    booking.save(update_fields=["status"])
    if booking.price > 0:
        charged = attended or policy_for(booking.authority).no_show_charged
        post_entry(
            account=account_for(booking.child),
            actor=recorded_by,
            amount=booking.price,
            kind=LedgerEntry.Kind.DELIVERED_PAID if charged else LedgerEntry.Kind.BOOKING_RELEASED,
            description=f"{'Attended' if attended else 'Did not come'}: {booking.session}",
            reference=f"booking:{booking.pk}",
        )
    audit_record(
        authority=booking.authority,
        actor=recorded_by,
        action=Audit.BOOKING_ATTENDANCE,
        target=booking,
        summary=f"{booking.child.first_name} {'attended' if attended else 'did not come to'} {booking.session}",
    )
    return booking


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def attendance_record(*, booking: Booking, attended: bool, recorded_by) -> Booking:
    return _mark(_locked([booking.pk]).get(), attended=attended, recorded_by=recorded_by)


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def attendance_record_everyone(*, session: Session, recorded_by) -> list[Booking]:
    """'Mark everyone attended': every child still only booked (not yet marked) came. Those
    already marked keep their mark."""
    _not_before_the_day(session)
    waiting = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).values_list("pk", flat=True)
    bookings = list(_locked(list(waiting)).order_by("pk"))
    if not bookings:
        raise NotAllowed("Everyone on the register is already marked.")
    return [_mark(booking, attended=True, recorded_by=recorded_by) for booking in bookings]


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def attendance_undo(*, booking: Booking, undone_by) -> Booking:
    """Take a mark back: the child is booked again, and the budget entry the mark posted is
    corrected by its opposite, so the money is committed again as before."""
    booking = _locked([booking.pk]).get()
    if booking.status not in (Booking.Status.ATTENDED, Booking.Status.NO_SHOW):
        raise NotAllowed(f"There is no attendance to undo for {booking.child.first_name}.")
    was = booking.get_status_display().lower()
    entry = (
        LedgerEntry.objects.select_for_update(of=("self",))
        .filter(reference=f"booking:{booking.pk}", kind__in=_MARK_ENTRIES, reversed_by__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if entry is not None:
        post_entry(
            account=entry.account,
            kind=LedgerEntry.Kind.REVERSAL,
            amount=entry.amount,
            actor=undone_by,
            reason="Attendance marked by mistake",
            description=f"Correction of: {entry.description}",
            reference=entry.reference,
            reverses=entry,
            deltas=(-entry.delta_available, -entry.delta_committed, -entry.delta_spent),
        )
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status"])
    audit_record(
        authority=booking.authority,
        actor=undone_by,
        action=Audit.BOOKING_ATTENDANCE_UNDONE,
        target=booking,
        summary=f"{booking.child.first_name}'s mark '{was}' on {booking.session} undone",
    )
    return booking

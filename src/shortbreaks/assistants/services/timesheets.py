"""Timesheets: the PA says the hours worked after the day; the family approves them (paid from
the child's budget: what was committed is spent, a surplus released, extra hours committed and
paid if the budget has them) or queries them."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shortbreaks.assistants.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.idempotency import once
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.families.models import LedgerEntry
from shortbreaks.families.services.budget import account_for, post_entry

from ..models import AssistantBooking, Timesheet


@transaction.atomic(durable=True)
def timesheet_submit(*, booking: AssistantBooking, submitted_by, hours: Decimal, note: str) -> Timesheet:
    booking = (
        AssistantBooking.objects.select_for_update(of=("self",)).select_related("child__family").get(pk=booking.pk)
    )
    if booking.status != AssistantBooking.Status.ACCEPTED:
        raise NotAllowed("Timesheets are for accepted bookings not yet paid.")
    if booking.date > timezone.localdate():
        raise NotAllowed("Send the timesheet on or after the day you worked.")
    if not Decimal("0") < hours <= Decimal("24"):
        raise NotAllowed("Enter the hours worked, more than 0 and at most 24.")
    timesheet, _ = Timesheet.objects.update_or_create(
        booking=booking,
        defaults={
            "authority": booking.authority,
            "hours": hours,
            "note": note,
            "status": Timesheet.Status.SUBMITTED,
            "query_reason": "",
        },
    )
    email_after_commit(
        to=booking.child.family.contact_emails(),
        subject="A timesheet to approve",
        body=f"{booking.assistant} worked {hours} hours with {booking.child.first_name} on "
        f"{booking.date:%A %-d %B}. Approve it so they are paid:\n"
        f"{absolute(booking.authority, 'assistants:family-booking', booking.pk)}\n",
        why=f"your family booked {booking.assistant} to support {booking.child.first_name}",
        authority=booking.authority,
    )
    return timesheet


def timesheet_decide(
    *, timesheet: Timesheet, decided_by, approve: bool, reason: str = "", idempotency_key: str = ""
) -> Timesheet:
    """Approving pays the hours worked from the child's budget: the committed amount becomes
    spent, any surplus is released, and extra hours are committed and paid if the budget has it.
    The page's key makes a retried approval return the approved timesheet, not pay twice."""
    key = idempotency_key if approve else ""
    return once(
        lambda: _timesheet_decide(
            timesheet=timesheet, decided_by=decided_by, approve=approve, reason=reason, idempotency_key=key
        ),
        done_before=lambda: _approved_with(decided_by, key),
    )


def _approved_with(decided_by, key: str) -> Timesheet | None:
    return Timesheet.objects.filter(decided_by=decided_by, decision_key=key).first() if key else None


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def _timesheet_decide(*, timesheet: Timesheet, decided_by, approve: bool, reason: str, idempotency_key: str):
    timesheet = (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("booking__child", "booking__assistant__user")
        .get(pk=timesheet.pk)
    )
    booking = timesheet.booking
    if (earlier := _approved_with(decided_by, idempotency_key)) is not None:
        return earlier  # the same submission, approved while this one waited for the lock
    if timesheet.status != Timesheet.Status.SUBMITTED:
        raise NotAllowed("This timesheet is not waiting for a decision.")
    if not approve:
        if not reason.strip():
            raise NotAllowed("Say what is wrong with the timesheet, so the PA can correct it.")
        timesheet.status, timesheet.query_reason = Timesheet.Status.QUERIED, reason.strip()
        timesheet.save(update_fields=["status", "query_reason"])
        email_after_commit(
            to=[booking.assistant.user.email],
            subject="Your timesheet was queried",
            body=f"The family queried your timesheet for {booking.date:%-d %B}: {reason}\n\n"
            f"Correct it: {absolute(booking.authority, 'assistants:booking', booking.pk)}\n",
            why=f"you sent a family a timesheet through {booking.authority.name}",
            authority=booking.authority,
        )
        return timesheet
    owed = (timesheet.hours * booking.hourly_rate).quantize(Decimal("0.01"))
    account = account_for(booking.child)
    reference, what = f"pa:{booking.pk}", f"personal assistant {booking.assistant}, {booking.date:%-d %B %Y}"
    if owed > booking.amount:
        post_entry(
            account=account,
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=owed - booking.amount,
            actor=decided_by,
            description=f"Extra hours: {what}",
            reference=reference,
        )
    elif owed < booking.amount:
        post_entry(
            account=account,
            kind=LedgerEntry.Kind.BOOKING_RELEASED,
            amount=booking.amount - owed,
            actor=decided_by,
            description=f"Fewer hours than booked: {what}",
            reference=reference,
        )
    if owed > 0:
        post_entry(
            account=account,
            kind=LedgerEntry.Kind.DELIVERED_PAID,
            amount=owed,
            actor=decided_by,
            description=f"Paid: {what}",
            reference=reference,
        )
    timesheet.status, timesheet.decided_by, timesheet.decided_at = Timesheet.Status.APPROVED, decided_by, timezone.now()
    timesheet.decision_key = idempotency_key
    timesheet.save(update_fields=["status", "decided_by", "decided_at", "decision_key"])
    AssistantBooking.objects.filter(pk=booking.pk).update(status=AssistantBooking.Status.COMPLETED)
    audit_record(
        authority=booking.authority,
        actor=decided_by,
        action=Audit.ASSISTANT_PAID,
        target=timesheet,
        summary=f"{timesheet.hours} hours of {booking.assistant} paid: £{owed}",
    )
    email_after_commit(
        to=[booking.assistant.user.email],
        subject="Your timesheet was approved",
        body=f"The family approved {timesheet.hours} hours on {booking.date:%-d %B}: £{owed} is paid.\n",
        why=f"you sent a family a timesheet through {booking.authority.name}",
        authority=booking.authority,
    )
    return timesheet

"""Families booking personal assistants: asking commits the cost on the child's budget (once
per page key), the PA accepts or declines (a decline releases the money), the family may
cancel (released too)."""

import datetime as dt
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
from shortbreaks.core.templatetags.govuk import time_range
from shortbreaks.families.models import Child, LedgerEntry
from shortbreaks.families.selectors.access import children_of_carer
from shortbreaks.families.services.budget import account_for, post_entry

from ..models import Assistant, AssistantBooking, Timesheet, hours_between
from ..selectors import visible_to_families


def booking_request(
    *,
    assistant: Assistant,
    child: Child,
    requested_by,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    message: str,
    meet_at: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    idempotency_key: str = "",
) -> AssistantBooking:
    """Ask a PA for hours. The cost is committed on the child's budget now, so an accepted
    booking is always paid for. The page's key makes a retried request return the booking it
    made, not commit the money twice."""
    return once(
        lambda: _booking_request(
            assistant=assistant,
            child=child,
            requested_by=requested_by,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            message=message,
            meet_at=meet_at,
            contact_email=contact_email,
            contact_phone=contact_phone,
            idempotency_key=idempotency_key,
        ),
        done_before=lambda: (
            AssistantBooking.objects.filter(requested_by=requested_by, idempotency_key=idempotency_key).first()
            if idempotency_key
            else None
        ),
    )


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def _booking_request(
    *,
    assistant,
    child,
    requested_by,
    date,
    starts_at,
    ends_at,
    message,
    meet_at,
    contact_email,
    contact_phone,
    idempotency_key,
) -> AssistantBooking:
    today = timezone.localdate()
    if not children_of_carer(user=requested_by, authority=assistant.authority).filter(pk=child.pk).exists():
        raise NotAllowed("You can only ask for your own children.")
    if not visible_to_families(authority=assistant.authority, today=today).filter(pk=assistant.pk).exists():
        raise NotAllowed("This personal assistant is not taking bookings now.")
    if date < today:
        raise NotAllowed("Choose a date from today onwards.")
    if ends_at <= starts_at:
        raise NotAllowed("The end time must be after the start time.")
    if date > assistant.dbs_renew_by:
        raise NotAllowed(
            f"{assistant}'s DBS check needs renewing before then: choose a date up to "
            f"{assistant.dbs_renew_by:%-d %B %Y}."
        )
    amount = (hours_between(starts_at, ends_at) * assistant.hourly_rate).quantize(Decimal("0.01"))
    booking = AssistantBooking.objects.create(
        authority=assistant.authority,
        assistant=assistant,
        child=child,
        requested_by=requested_by,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        hourly_rate=assistant.hourly_rate,
        amount=amount,
        message=message,
        meet_at=meet_at.strip(),
        contact_email=(contact_email or requested_by.email).strip(),
        contact_phone=contact_phone.strip(),
        idempotency_key=idempotency_key,
    )
    if amount > 0:
        post_entry(
            account=account_for(child),
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=amount,
            actor=requested_by,
            description=f"Personal assistant {assistant}, {date:%-d %B %Y}",
            reference=f"pa:{booking.pk}",
        )
    audit_record(
        authority=assistant.authority,
        actor=requested_by,
        action=Audit.ASSISTANT_REQUESTED,
        target=booking,
        summary=f"{assistant} asked for {child.first_name} on {date:%-d %B %Y}",
    )
    email_after_commit(
        to=[assistant.user.email],
        subject="A family has asked for you",
        body=_request_email(booking),
        why=f"families can book you as a personal assistant through {assistant.authority.name}",
        authority=assistant.authority,
    )
    email_after_commit(
        to=child.family.contact_emails(),
        subject=f"You asked {assistant} to support {child.first_name}",
        body=f"You asked {assistant} to support {child.first_name} on {date:%A} {date.day} {date:%B %Y}, "
        f"{time_range(starts_at, ends_at)}."
        + (f" £{amount:,.2f} is set aside on {child.first_name}'s budget until they answer." if amount > 0 else "")
        + f"\n\nWe will email you when {assistant} accepts or declines. You can see or cancel the request here:\n"
        f"{absolute(assistant.authority, 'assistants:family-booking', booking.pk)}\n",
        why=f"your family asked {assistant} to support {child.first_name}",
        authority=assistant.authority,
    )
    return booking


def _request_email(booking: AssistantBooking) -> str:
    """Where to come and how to reach the family, as they gave them when asking."""
    reach = [f"Email: {booking.contact_email}"] if booking.contact_email else []
    if booking.contact_phone:
        reach.append(f"Phone: {booking.contact_phone}")
    lines = [
        f"A family has asked you to support {booking.child.first_name} on {booking.date:%A} {booking.date.day} "
        f"{booking.date:%B %Y}, {time_range(booking.starts_at, booking.ends_at)} "
        f"({booking.hours} hours at £{booking.hourly_rate:,.2f}).",
        "",
        f"Where: {booking.meet_at or 'ask the family'}",
        "How to reach the family:",
        *(f"  {line}" for line in reach or ["reply through the booking page"]),
    ]
    if booking.message:
        lines += ["", f"The family says: {booking.message}"]
    lines += ["", "Accept or decline it:", absolute(booking.authority, "assistants:booking", booking.pk)]
    return "\n".join(lines) + "\n"


def _release(booking: AssistantBooking, actor, why: str) -> None:
    if booking.amount > 0:
        post_entry(
            account=account_for(booking.child),
            kind=LedgerEntry.Kind.BOOKING_RELEASED,
            amount=booking.amount,
            actor=actor,
            description=f"{why}: personal assistant {booking.assistant}, {booking.date:%-d %B %Y}",
            reference=f"pa:{booking.pk}",
        )


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def booking_answer(*, booking: AssistantBooking, answered_by, accept: bool, note: str = "") -> AssistantBooking:
    booking = (
        AssistantBooking.objects.select_for_update(of=("self",))
        .select_related("child__family", "assistant")
        .get(pk=booking.pk)
    )
    if booking.status != AssistantBooking.Status.REQUESTED:
        raise NotAllowed("This request has already been answered or cancelled.")
    booking.status = AssistantBooking.Status.ACCEPTED if accept else AssistantBooking.Status.DECLINED
    booking.answer_note, booking.answered_at = note, timezone.now()
    booking.save(update_fields=["status", "answer_note", "answered_at"])
    if not accept:
        _release(booking, answered_by, "Declined")
    audit_record(
        authority=booking.authority,
        actor=answered_by,
        action=Audit.ASSISTANT_ANSWERED,
        target=booking,
        summary=f"{booking.assistant} {'accepted' if accept else 'declined'} {booking.date:%-d %B}",
    )
    email_after_commit(
        to=booking.child.family.contact_emails(),
        subject=f"{booking.assistant} answered your request",
        body=f"{booking.assistant} has {'accepted' if accept else 'declined'} supporting "
        f"{booking.child.first_name} on {booking.date:%A %-d %B %Y}."
        + (f" They said: {note}" if note else "")
        + ("" if accept else " The money is back in the budget.")
        + f"\n\n{absolute(booking.authority, 'assistants:family-booking', booking.pk)}\n",
        why=f"your family asked {booking.assistant} to support {booking.child.first_name}",
        authority=booking.authority,
    )
    return booking


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def booking_cancel(*, booking: AssistantBooking, cancelled_by) -> AssistantBooking:
    booking = (
        AssistantBooking.objects.select_for_update(of=("self",))
        .select_related("assistant__user", "child")
        .get(pk=booking.pk)
    )
    if booking.status not in (AssistantBooking.Status.REQUESTED, AssistantBooking.Status.ACCEPTED):
        raise NotAllowed("Only a booking not yet worked can be cancelled.")
    if Timesheet.objects.filter(booking=booking).exists():
        raise NotAllowed("The PA has sent a timesheet for this booking: approve or query it instead.")
    booking.status = AssistantBooking.Status.CANCELLED
    booking.save(update_fields=["status"])
    _release(booking, cancelled_by, "Cancelled")
    audit_record(
        authority=booking.authority,
        actor=cancelled_by,
        action=Audit.ASSISTANT_CANCELLED,
        target=booking,
        summary=f"Booking of {booking.assistant} on {booking.date:%-d %B} cancelled",
    )
    email_after_commit(
        to=[booking.assistant.user.email],
        subject="A booking was cancelled",
        body=f"The family cancelled your booking on {booking.date:%A %-d %B %Y}.\n",
        why=f"a family booked you through {booking.authority.name} to support {booking.child.first_name}",
        authority=booking.authority,
    )
    return booking

"""Writes about personal assistants: the profile and its checks, vetting, bookings paid from a
child's budget, timesheets, and the daily warnings about checks running out."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.idempotency import once
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.families.models import Child, LedgerEntry
from shortbreaks.families.selectors.access import children_of_carer
from shortbreaks.families.services.budget import account_for, post_entry

from .models import (
    Assistant,
    AssistantBooking,
    AssistantSkill,
    Availability,
    Reference,
    Timesheet,
    Training,
    hours_between,
)
from .selectors import WARN_DAYS, visible_to_families

DBS_RENEWAL_YEARS = 3


def profile_for(*, user, authority) -> Assistant:
    """The PA's own profile, started on their first visit."""
    assistant, _ = Assistant.objects.get_or_create(
        user=user, defaults={"authority": authority, "display_name": user.get_full_name() or user.email.split("@")[0]}
    )
    if assistant.authority_id != authority.pk:
        raise NotAllowed("Your personal assistant profile is with another council.")
    return assistant


@transaction.atomic(durable=True)
def profile_update(
    *,
    assistant: Assistant,
    updated_by,
    display_name: str,
    about: str,
    postcode: str,
    travel_km: int,
    hourly_rate: Decimal,
    skills: list[str],
    slots: list[tuple[int, str]],
    hidden: bool,
    dbs_certificate: str,
    dbs_issued_on: dt.date | None,
) -> Assistant:
    """Saving new DBS details sends a vetted profile back to the officer."""
    place = locate(postcode)  # PostcodeError says what is wrong
    if dbs_issued_on and dbs_issued_on > timezone.localdate():
        raise NotAllowed("The DBS check's date cannot be in the future.")
    assistant = Assistant.objects.select_for_update().get(pk=assistant.pk)
    dbs_changed = (dbs_certificate, dbs_issued_on) != (assistant.dbs_certificate, assistant.dbs_issued_on)
    assistant.display_name, assistant.about, assistant.travel_km = display_name, about, travel_km
    assistant.postcode, assistant.latitude, assistant.longitude = place.postcode, place.latitude, place.longitude
    assistant.hourly_rate, assistant.hidden = hourly_rate, hidden
    assistant.dbs_certificate, assistant.dbs_issued_on = dbs_certificate, dbs_issued_on
    # relativedelta keeps the day of the month (29 February renews on 28 February).
    assistant.dbs_renew_by = dbs_issued_on + relativedelta(years=DBS_RENEWAL_YEARS) if dbs_issued_on else None
    if dbs_changed:
        assistant.dbs_warned_on = assistant.dbs_lapse_told_on = None
        if assistant.status == Assistant.Status.VETTED:
            assistant.status = Assistant.Status.SUBMITTED
            assistant.status_reason = "New DBS details to check."
    assistant.save()
    AssistantSkill.objects.filter(assistant=assistant).exclude(skill__in=skills).delete()
    have = set(assistant.skills.values_list("skill", flat=True))
    AssistantSkill.objects.bulk_create([AssistantSkill(assistant=assistant, skill=s) for s in skills if s not in have])
    assistant.availability.all().delete()
    Availability.objects.bulk_create([Availability(assistant=assistant, day=d, part=p) for d, p in slots])
    audit_record(
        authority=assistant.authority,
        actor=updated_by,
        action="assistant.updated",
        target=assistant,
        summary=f"Profile of {assistant} saved" + (" (new DBS details)" if dbs_changed else ""),
    )
    return assistant


@transaction.atomic(durable=True)
def training_record(
    *,
    assistant: Assistant,
    course: str,
    skill: str,
    completed_on: dt.date,
    expires_on: dt.date | None,
    recorded_by,
    training: Training | None = None,
) -> Training:
    """Add a course, or record its renewal (new dates on the same course)."""
    if completed_on > timezone.localdate():
        raise NotAllowed("The date the course was completed cannot be in the future.")
    if expires_on and expires_on <= completed_on:
        raise NotAllowed("The training must run out after it was completed.")
    if training is None:
        training = Training(authority=assistant.authority, assistant=assistant)
    training.course, training.skill, training.completed_on, training.expires_on = (
        course,
        skill,
        completed_on,
        expires_on,
    )
    training.warned_on = training.lapse_told_on = None
    training.save()
    audit_record(
        authority=assistant.authority,
        actor=recorded_by,
        action="assistant.training",
        target=training,
        summary=f"{course} recorded for {assistant}",
    )
    return training


@transaction.atomic(durable=True)
def reference_add(*, assistant: Assistant, referee: str, relationship: str, email: str, added_by) -> Reference:
    if assistant.references.count() >= 5:
        raise NotAllowed("Give at most five referees.")
    return Reference.objects.create(
        authority=assistant.authority, assistant=assistant, referee=referee, relationship=relationship, email=email
    )


@transaction.atomic(durable=True)
def submit_for_vetting(*, assistant: Assistant, submitted_by) -> Assistant:
    assistant = Assistant.objects.select_for_update().get(pk=assistant.pk)
    missing = []
    if not assistant.dbs_issued_on:
        missing.append("your DBS check")
    if assistant.references.count() < 2:
        missing.append("two referees")
    if not assistant.skills.exists():
        missing.append("at least one skill")
    if not assistant.postcode:
        missing.append("your postcode")
    if missing:
        raise NotAllowed("Before an officer can vet you, add " + " and ".join(missing) + ".")
    if assistant.status == Assistant.Status.VETTED:
        raise NotAllowed("You are already vetted.")
    assistant.status, assistant.status_reason = Assistant.Status.SUBMITTED, ""
    assistant.save(update_fields=["status", "status_reason"])
    audit_record(
        authority=assistant.authority,
        actor=submitted_by,
        action="assistant.submitted",
        target=assistant,
        summary=f"{assistant} asked to be vetted",
    )
    email_after_commit(
        to=emails_of(authority=assistant.authority, role=Role.OFFICER),
        subject=f"A personal assistant to vet: {assistant}",
        body=f"{assistant} has asked to be vetted:\n{absolute(assistant.authority, 'assistants:vet', assistant.pk)}\n",
        why=f"as an officer at {assistant.authority.name}, you vet personal assistants",
        authority=assistant.authority,
    )
    return assistant


@transaction.atomic(durable=True)
def vet(
    *, assistant: Assistant, officer, approve: bool, reason: str, references_received: list[Reference]
) -> Assistant:
    assistant = Assistant.objects.select_for_update().get(pk=assistant.pk)
    if assistant.status != Assistant.Status.SUBMITTED:
        raise NotAllowed("Only a profile waiting for vetting can be vetted.")
    today = timezone.localdate()
    Reference.objects.filter(
        pk__in=[r.pk for r in references_received], assistant=assistant, received_on__isnull=True
    ).update(received_on=today)
    if approve:
        if assistant.references.filter(received_on__isnull=False).count() < 2:
            raise NotAllowed("Record two references received before approving.")
        if not assistant.dbs_renew_by or assistant.dbs_renew_by < today:
            raise NotAllowed("The DBS check is missing or out of date.")
    elif not reason.strip():
        raise NotAllowed("Say why the profile is not approved, so the PA can put it right.")
    assistant.status = Assistant.Status.VETTED if approve else Assistant.Status.REFUSED
    assistant.status_reason = reason.strip()
    assistant.vetted_by, assistant.vetted_at = officer, timezone.now()
    assistant.save()
    audit_record(
        authority=assistant.authority,
        actor=officer,
        action="assistant.vetted",
        target=assistant,
        summary=f"{assistant} {'approved' if approve else 'not approved'}",
        details={"reason": reason},
    )
    email_after_commit(
        to=[assistant.user.email],
        subject="Your personal assistant profile",
        body=(
            "An officer has vetted you: families can now find your profile.\n\n"
            f"{absolute(assistant.authority, 'assistants:home')}\n"
            if approve
            else f"An officer could not approve your profile yet: {reason}\n\n"
            f"Put it right on your profile: {absolute(assistant.authority, 'assistants:profile')}\n"
        ),
        why=f"you asked {assistant.authority.name} to vet you as a personal assistant",
        authority=assistant.authority,
    )
    return assistant


def booking_request(
    *,
    assistant: Assistant,
    child: Child,
    requested_by,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    message: str,
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
    *, assistant, child, requested_by, date, starts_at, ends_at, message, idempotency_key
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
            f"{assistant.dbs_renew_by:%d %B %Y}."
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
        idempotency_key=idempotency_key,
    )
    if amount > 0:
        post_entry(
            account=account_for(child),
            kind=LedgerEntry.Kind.BOOKING_COMMITTED,
            amount=amount,
            actor=requested_by,
            description=f"Personal assistant {assistant}, {date:%d %B %Y}",
            reference=f"pa:{booking.pk}",
        )
    audit_record(
        authority=assistant.authority,
        actor=requested_by,
        action="assistant.requested",
        target=booking,
        summary=f"{assistant} asked for {child.first_name} on {date:%d %B %Y}",
    )
    email_after_commit(
        to=[assistant.user.email],
        subject="A family has asked for you",
        body=f"A family has asked you to support {child.first_name} on {date:%A %d %B %Y}, "
        f"{starts_at:%H:%M} to {ends_at:%H:%M}. Accept or decline it:\n"
        f"{absolute(assistant.authority, 'assistants:booking', booking.pk)}\n",
        why=f"families can book you as a personal assistant through {assistant.authority.name}",
        authority=assistant.authority,
    )
    return booking


def _release(booking: AssistantBooking, actor, why: str) -> None:
    if booking.amount > 0:
        post_entry(
            account=account_for(booking.child),
            kind=LedgerEntry.Kind.BOOKING_RELEASED,
            amount=booking.amount,
            actor=actor,
            description=f"{why}: personal assistant {booking.assistant}, {booking.date:%d %B %Y}",
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
        action="assistant.answered",
        target=booking,
        summary=f"{booking.assistant} {'accepted' if accept else 'declined'} {booking.date:%d %B}",
    )
    email_after_commit(
        to=booking.child.family.contact_emails(),
        subject=f"{booking.assistant} answered your request",
        body=f"{booking.assistant} has {'accepted' if accept else 'declined'} supporting "
        f"{booking.child.first_name} on {booking.date:%A %d %B %Y}."
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
        action="assistant.cancelled",
        target=booking,
        summary=f"Booking of {booking.assistant} on {booking.date:%d %B} cancelled",
    )
    email_after_commit(
        to=[booking.assistant.user.email],
        subject="A booking was cancelled",
        body=f"The family cancelled your booking on {booking.date:%A %d %B %Y}.\n",
        why=f"a family booked you through {booking.authority.name} to support {booking.child.first_name}",
        authority=booking.authority,
    )
    return booking


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
        f"{booking.date:%A %d %B}. Approve it so they are paid:\n"
        f"{absolute(booking.authority, 'assistants:family-booking', booking.pk)}\n",
        why=f"your family booked {booking.assistant} to support {booking.child.first_name}",
        authority=booking.authority,
    )
    return timesheet


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def timesheet_decide(*, timesheet: Timesheet, decided_by, approve: bool, reason: str = "") -> Timesheet:
    """Approving pays the hours worked from the child's budget: the committed amount becomes
    spent, any surplus is released, and extra hours are committed and paid if the budget has it."""
    timesheet = (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("booking__child", "booking__assistant__user")
        .get(pk=timesheet.pk)
    )
    booking = timesheet.booking
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
            body=f"The family queried your timesheet for {booking.date:%d %B}: {reason}\n\n"
            f"Correct it: {absolute(booking.authority, 'assistants:booking', booking.pk)}\n",
            why=f"you sent a family a timesheet through {booking.authority.name}",
            authority=booking.authority,
        )
        return timesheet
    owed = (timesheet.hours * booking.hourly_rate).quantize(Decimal("0.01"))
    account = account_for(booking.child)
    reference, what = f"pa:{booking.pk}", f"personal assistant {booking.assistant}, {booking.date:%d %B %Y}"
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
    timesheet.save(update_fields=["status", "decided_by", "decided_at"])
    AssistantBooking.objects.filter(pk=booking.pk).update(status=AssistantBooking.Status.COMPLETED)
    audit_record(
        authority=booking.authority,
        actor=decided_by,
        action="assistant.paid",
        target=timesheet,
        summary=f"{timesheet.hours} hours of {booking.assistant} paid: £{owed}",
    )
    email_after_commit(
        to=[booking.assistant.user.email],
        subject="Your timesheet was approved",
        body=f"The family approved {timesheet.hours} hours on {booking.date:%d %B}: £{owed} is paid.\n",
        why=f"you sent a family a timesheet through {booking.authority.name}",
        authority=booking.authority,
    )
    return timesheet


def expiry_check(*, authority, today: dt.date | None = None) -> dict:
    """Daily: warn the PA and the officers a month before a DBS check or training runs out, and
    tell them when it has (the profile is hidden from families from that day, by the query)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=WARN_DAYS)
    officers = emails_of(authority=authority, role=Role.OFFICER)
    counts = {"warned": 0, "lapsed": 0}

    def tell(assistant, what: str, lapsed: bool, renew_at: str):
        counts["lapsed" if lapsed else "warned"] += 1
        body = (
            f"{what} Families cannot find {assistant} until it is renewed: record the new date on the profile.\n"
            if lapsed
            else f"{what} Renew it before then, or the profile will be hidden from families.\n"
        )
        subject = f"{'Lapsed' if lapsed else 'Expiring soon'}: {assistant}'s checks"
        # The assistant and the officers act on different pages, for different reasons.
        email_after_commit(
            to=[assistant.user.email],
            subject=subject,
            body=f"{body}\n{renew_at}\n",
            why=f"you are a personal assistant with {authority.name}, and families find you only while your "
            "checks are in date",
            authority=authority,
        )
        email_after_commit(
            to=officers,
            subject=subject,
            body=f"{body}\n{absolute(authority, 'assistants:vet', assistant.pk)}\n",
            why=f"as an officer at {authority.name}, you vet personal assistants",
            authority=authority,
        )

    with transaction.atomic():
        profile = absolute(authority, "assistants:profile")
        for assistant in Assistant.objects.filter(authority=authority, dbs_renew_by__lte=soon).select_related("user"):
            renew_by = f"{assistant.dbs_renew_by:%d %B %Y}"
            if assistant.dbs_renew_by < today and not assistant.dbs_lapse_told_on:
                tell(assistant, f"{assistant}'s DBS check needed renewing by {renew_by}.", True, profile)
                Assistant.objects.filter(pk=assistant.pk).update(dbs_lapse_told_on=today, dbs_warned_on=today)
            elif assistant.dbs_renew_by >= today and not assistant.dbs_warned_on:
                tell(assistant, f"{assistant}'s DBS check needs renewing by {renew_by}.", False, profile)
                Assistant.objects.filter(pk=assistant.pk).update(dbs_warned_on=today)
        for training in Training.objects.filter(authority=authority, expires_on__lte=soon).select_related(
            "assistant__user"
        ):
            ends = f"{training.expires_on:%d %B %Y}"
            renew = absolute(authority, "assistants:training-renew", training.pk)
            if training.expires_on < today and not training.lapse_told_on:
                tell(training.assistant, f"{training.course} training ran out on {ends}.", True, renew)
                Training.objects.filter(pk=training.pk).update(lapse_told_on=today, warned_on=today)
            elif training.expires_on >= today and not training.warned_on:
                tell(training.assistant, f"{training.course} training runs out on {ends}.", False, renew)
                Training.objects.filter(pk=training.pk).update(warned_on=today)
    return counts

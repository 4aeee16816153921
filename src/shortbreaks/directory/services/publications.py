"""Commissioner publications: intentions, strategy documents, provider events and their
registrations, and the subscriptions that tell providers about them."""

import datetime as dt

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed, ServiceError
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.models import Authority
from shortbreaks.core.sites import absolute
from shortbreaks.core.storage import atomic_with_files, store_file
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.directory.audit import Audit

from ..models import (
    CommissioningIntention,
    EventRegistration,
    OpportunitySubscription,
    Organisation,
    ProviderEvent,
    StrategyDocument,
)

# What a strategy document may be: sniffed from the bytes, not trusted from the name.
ALLOWED_DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
}


def subscribers_for(*, authority: Authority, needs=(), break_kinds=()) -> list[str]:
    """Emails of providers who want to hear of this: those whose interests overlap it, and
    those who chose no interests (everything)."""
    subscriptions = OpportunitySubscription.objects.filter(authority=authority)
    need_ids = [t.pk for t in needs]
    kind_ids = [t.pk for t in break_kinds]
    matching = Q(needs__isnull=True, break_kinds__isnull=True)
    if need_ids:
        matching |= Q(needs__in=need_ids)
    if kind_ids:
        matching |= Q(break_kinds__in=kind_ids)
    return sorted(set(subscriptions.filter(matching).values_list("email", flat=True)))


def _subscribers_footer(authority: Authority) -> dict:
    """What every email to subscribers ends with: why they get it and how to stop it."""
    return {
        "why": f"you subscribe to news of commissioning opportunities from {authority.name}",
        "stop": "To stop these emails, sign in and choose Stop under your subscriptions: "
        f"{absolute(authority, 'directory:provider-home')}",
        "authority": authority,
    }


@transaction.atomic(durable=True)
def intention_publish(*, intention: CommissioningIntention, published_by) -> CommissioningIntention:
    intention = CommissioningIntention.objects.select_for_update().get(pk=intention.pk)
    if intention.status == CommissioningIntention.Status.PUBLISHED:
        raise NotAllowed("This intention is already published.")
    intention.status = CommissioningIntention.Status.PUBLISHED
    intention.published_at = timezone.now()
    intention.save(update_fields=["status", "published_at"])
    audit_record(
        authority=intention.authority,
        actor=published_by,
        action=Audit.INTENTION_PUBLISHED,
        target=intention,
        summary=f"Published {intention.title}",
    )
    email_after_commit(
        to=subscribers_for(
            authority=intention.authority, needs=intention.needs.all(), break_kinds=intention.break_kinds.all()
        ),
        subject=f"New commissioning intention: {intention.title}",
        body=f"{intention.authority.name} has published a commissioning intention.\n\n"
        f"{intention.title}\n{intention.summary}\n\n"
        f"{absolute(intention.authority, 'directory:intention', intention.pk)}\n",
        **_subscribers_footer(intention.authority),
    )
    return intention


def document_check(upload, extra_types: dict[str, str] | None = None) -> str:
    """The sniffed content type of an upload, or a ServiceError saying what is wrong."""
    allowed_types = {**ALLOWED_DOCUMENT_TYPES, **(extra_types or {})}
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ServiceError(f"The file must be smaller than {limit_mb}MB")
    if upload.size == 0:
        raise ServiceError("The selected file is empty")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed_types:
        allowed = ", ".join(allowed_types.values())
        raise ServiceError(f"The selected file must be a {allowed}")
    return kind.mime


@atomic_with_files
def document_publish(*, authority: Authority, title: str, description: str, upload, uploaded_by) -> StrategyDocument:
    content_type = document_check(upload)
    document = StrategyDocument(
        authority=authority,
        title=title,
        description=description,
        content_type=content_type,
        size=upload.size,
        original_filename=upload.name[:200],
        uploaded_by=uploaded_by,
    )
    store_file(document.file, upload)
    document.save()
    audit_record(
        authority=authority,
        actor=uploaded_by,
        action=Audit.DOCUMENT_PUBLISHED,
        target=document,
        summary=f"Published {title}",
        details={"content_type": content_type, "size": upload.size},
    )
    return document


@transaction.atomic(durable=True)
def event_create(*, authority: Authority, created_by, **fields) -> ProviderEvent:
    event = ProviderEvent(authority=authority, created_by=created_by, **fields)
    event.full_clean()
    event.save()
    audit_record(
        authority=authority,
        actor=created_by,
        action=Audit.EVENT_CREATED,
        target=event,
        summary=f"Published provider event {event.title}",
    )
    email_after_commit(
        to=subscribers_for(authority=authority),
        subject=f"Provider event: {event.title}",
        body=f"{authority.name} is holding a provider event: {event.title}, "
        f"{_when(event.starts_at)}, at {event.venue}.\n\n"
        f"Register: {absolute(authority, 'directory:event', event.pk)}\n",
        **_subscribers_footer(authority),
    )
    return event


# What registered attendees are told of when a commissioner changes an event.
_TOLD_OF = {"starts_at": "when it starts", "ends_at": "when it ends", "venue": "the venue", "postcode": "the postcode"}


def _when(moment) -> str:
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    clock = f"{hour}:{local.minute:02d}" if local.minute else f"{hour}"
    return f"{local:%A} {local.day} {local:%B %Y} at {clock}{'am' if local.hour < 12 else 'pm'}"


def _attendees(event: ProviderEvent) -> list[str]:
    return list(event.registrations.filter(cancelled_at__isnull=True).values_list("attendee_email", flat=True))


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def event_update(*, event: ProviderEvent, updated_by, **fields) -> ProviderEvent:
    """A commissioner corrects or changes an event still to come. Places never drop below
    those already taken; those registered are told (each separately) when the time or the
    venue changes."""
    event = ProviderEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != ProviderEvent.Status.PUBLISHED:
        raise NotAllowed("This event has been cancelled, so it cannot be changed.")
    if event.starts_at <= timezone.now():
        raise NotAllowed("This event has already started, so it cannot be changed.")
    taken = event.registrations.filter(cancelled_at__isnull=True).count()
    if fields.get("places") is not None and fields["places"] < taken:
        raise NotAllowed(
            f"{taken} {'person has' if taken == 1 else 'people have'} registered: keep at least {taken} "
            f"place{'s' if taken != 1 else ''}."
        )
    changed = [name for name, value in fields.items() if getattr(event, name) != value]
    if not changed:
        return event
    for name in changed:
        setattr(event, name, fields[name])
    saved = list(changed)
    if "starts_at" in changed:
        event.reminder_sent_at = None  # a new day: the reminder goes again before it
        saved.append("reminder_sent_at")
    try:  # only what was changed is checked: the rest was checked when it was saved
        event.full_clean(exclude=[f.name for f in ProviderEvent._meta.fields if f.name not in changed])
    except ValidationError as error:
        raise NotAllowed(" ".join(error.messages)) from error
    event.save(update_fields=saved)
    audit_record(
        authority=event.authority,
        actor=updated_by,
        action=Audit.EVENT_UPDATED,
        target=event,
        summary=f"Changed provider event {event.title}",
        details={"changed": changed},
    )
    told = [_TOLD_OF[name] for name in changed if name in _TOLD_OF]
    if told:
        email_after_commit(
            to=_attendees(event),
            subject=f"Changed: {event.title}",
            body=f"{event.authority.name} has changed {' and '.join(dict.fromkeys(told))} of {event.title}. "
            f"It is now on {_when(event.starts_at)}, at {event.venue}"
            f"{f' ({event.postcode})' if event.postcode else ''}.\n\n"
            f"Your place is kept. If you can no longer come, tell us from the event's page: "
            f"{absolute(event.authority, 'directory:event', event.pk)}\n",
            why=f"you are registered for this {event.authority.name} event",
            authority=event.authority,
        )
    return event


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def event_cancel(*, event: ProviderEvent, cancelled_by, reason: str) -> ProviderEvent:
    """A commissioner cancels an event: nobody can register any more, no reminder goes, and
    everyone registered is emailed (one message each, after the commit) with the reason."""
    reason = reason.strip()
    if not reason:
        raise NotAllowed("Say why the event is cancelled: those registered are told.")
    event = ProviderEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == ProviderEvent.Status.CANCELLED:
        raise NotAllowed("This event is already cancelled.")
    if event.starts_at <= timezone.now():
        raise NotAllowed("This event has already started, so it cannot be cancelled.")
    event.status = ProviderEvent.Status.CANCELLED
    event.save(update_fields=["status"])
    attendees = _attendees(event)
    audit_record(
        authority=event.authority,
        actor=cancelled_by,
        action=Audit.EVENT_CANCELLED,
        target=event,
        summary=f"Cancelled provider event {event.title}",
        details={"reason": reason, "told": len(attendees)},
    )
    email_after_commit(
        to=attendees,
        subject=f"Cancelled: {event.title}",
        body=f"{event.authority.name} has cancelled {event.title}, which was to be on "
        f"{_when(event.starts_at)} at {event.venue}.\n\n{reason}\n\n"
        f"Other events for providers: {absolute(event.authority, 'directory:events')}\n",
        why=f"you were registered for this {event.authority.name} event",
        authority=event.authority,
    )
    return event


def places_left(event: ProviderEvent) -> int:
    taken = event.registrations.filter(cancelled_at__isnull=True).count()
    return max(0, event.places - taken)


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def event_register(
    *,
    event: ProviderEvent,
    organisation: Organisation,
    attendee_name: str,
    attendee_email: str,
    access_needs: str,
    registered_by,
) -> EventRegistration:
    """Lock the event, count the live registrations, then write: the last place goes to
    exactly one provider however many ask at once."""
    event = ProviderEvent.objects.select_for_update().get(pk=event.pk)
    if event.authority_id != organisation.authority_id:
        raise NotAllowed("This event is run by another council.")
    if event.status != ProviderEvent.Status.PUBLISHED:
        raise ServiceError("This event has been cancelled.")
    if timezone.now() >= event.registration_closes_at:
        raise ServiceError("Registration for this event has closed.")
    live = event.registrations.filter(cancelled_at__isnull=True)
    if live.filter(attendee_email__iexact=attendee_email).exists():
        raise ServiceError(f"{attendee_email} is already registered for this event.")
    if live.count() >= event.places:
        raise ServiceError("Sorry, this event is full.")
    registration = EventRegistration.objects.create(
        event=event,
        organisation=organisation,
        attendee_name=attendee_name,
        attendee_email=attendee_email.lower(),
        access_needs=access_needs,
        registered_by=registered_by,
    )
    audit_record(
        authority=event.authority,
        actor=registered_by,
        action=Audit.EVENT_REGISTERED,
        target=event,
        summary=f"{attendee_name} of {organisation.name} registered",
        details={"registration": str(registration.pk)},
    )
    email_after_commit(
        to=[registration.attendee_email],
        subject=f"You are registered: {event.title}",
        body=f"You have a place at {event.title} on "
        f"{_when(event.starts_at)}, {event.venue}.\n"
        "We will send a reminder the day before.\n\n"
        f"{absolute(event.authority, 'directory:event', event.pk)}\n",
        why=f"you were registered for this {event.authority.name} event for {organisation.name}",
        authority=event.authority,
    )
    return registration


@transaction.atomic(durable=True)
def event_registration_cancel(*, registration: EventRegistration, cancelled_by) -> EventRegistration:
    registration = (
        EventRegistration.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration.pk)
    )
    if registration.cancelled_at is None:
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["cancelled_at"])
        audit_record(
            authority=registration.event.authority,
            actor=cancelled_by,
            action=Audit.EVENT_REGISTRATION_CANCELLED,
            target=registration.event,
            summary=f"{registration.attendee_name} cancelled their place",
            details={"registration": str(registration.pk)},
        )
    return registration


def event_send_due_reminders(*, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(hours=36)) -> int:
    """Email every attendee of events starting soon, once per event. Run by the worker's
    schedule (`shortbreaks send_reminders`); safe to run as often as you like."""
    now = now or timezone.now()
    sent = 0
    due = ProviderEvent.objects.filter(
        status=ProviderEvent.Status.PUBLISHED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + within,
    ).values_list("pk", flat=True)
    for event_id in due:
        with transaction.atomic():
            event = (
                ProviderEvent.objects.select_for_update(skip_locked=True)
                .filter(pk=event_id, reminder_sent_at__isnull=True)
                .first()
            )
            if event is None:
                continue
            attendees = list(
                event.registrations.filter(cancelled_at__isnull=True).values_list("attendee_email", flat=True)
            )
            event.reminder_sent_at = now
            event.save(update_fields=["reminder_sent_at"])
            for email in attendees:
                email_after_commit(
                    to=[email],
                    subject=f"Reminder: {event.title}",
                    body=f"A reminder that {event.title} is on "
                    f"{_when(event.starts_at)}, at {event.venue}.\n\n"
                    f"{absolute(event.authority, 'directory:event', event.pk)}\n",
                    why=f"you are registered for this {event.authority.name} event",
                    authority=event.authority,
                )
            sent += len(attendees)
    return sent


@transaction.atomic(durable=True)
def subscription_save(
    *, organisation: Organisation, email: str, needs, break_kinds, saved_by
) -> OpportunitySubscription:
    subscription, _ = OpportunitySubscription.objects.get_or_create(
        authority=organisation.authority,
        organisation=organisation,
        email=email.lower(),
    )
    subscription.needs.set(needs)
    subscription.break_kinds.set(break_kinds)
    audit_record(
        authority=organisation.authority,
        actor=saved_by,
        action=Audit.SUBSCRIPTION_SAVED,
        target=organisation,
        summary=f"{email} follows opportunities",
    )
    return subscription


@transaction.atomic(durable=True)
def subscription_delete(*, subscription: OpportunitySubscription, deleted_by) -> None:
    audit_record(
        authority=subscription.authority,
        actor=deleted_by,
        action=Audit.SUBSCRIPTION_DELETED,
        target=subscription.organisation,
        summary=f"{subscription.email} stopped following opportunities",
    )
    subscription.delete()


@transaction.atomic(durable=True)
def intention_save(*, intention: CommissioningIntention, needs, break_kinds, saved_by) -> CommissioningIntention:
    intention.created_by = intention.created_by or saved_by
    intention.full_clean()
    intention.save()
    intention.needs.set(needs)
    intention.break_kinds.set(break_kinds)
    audit_record(
        authority=intention.authority,
        actor=saved_by,
        action=Audit.INTENTION_SAVED,
        target=intention,
        summary=f"Saved intention {intention.title}",
    )
    return intention


@transaction.atomic(durable=True)
def provider_support_record(*, support, recorded_by):
    """Support given to a provider to grow the market (training, funding, premises)."""
    support.recorded_by = recorded_by
    support.full_clean()
    support.save()
    audit_record(
        authority=support.authority,
        actor=recorded_by,
        action=Audit.SUPPORT_RECORDED,
        target=support.organisation,
        summary=f"Recorded {support.get_kind_display().lower()} for {support.organisation.name}",
        details={"value": str(support.value) if support.value is not None else None, "quantity": support.quantity},
    )
    return support

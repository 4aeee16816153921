"""A personal assistant's profile and its checks (DBS, training, references), and vetting: the
PA asks to be vetted, an officer approves or refuses with a reason."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.selectors import emails_of
from shortbreaks.assistants.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.postcodes import locate
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..models import Assistant, AssistantSkill, Availability, Reference, Training

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
        action=Audit.ASSISTANT_UPDATED,
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
        action=Audit.ASSISTANT_TRAINING,
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
        action=Audit.ASSISTANT_SUBMITTED,
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
        action=Audit.ASSISTANT_VETTED,
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

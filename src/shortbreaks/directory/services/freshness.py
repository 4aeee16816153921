"""Keeping listings fresh: someone confirms a listing is still right, and reminders go to
providers before theirs falls out of date (selectors/freshness.py says when that is).

A provider confirms its own listings; a council officer confirms the listings of the council's
in-house services. Approving a provider's change to a listing counts as a check too: the
provider sent the whole listing and the council read it."""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.formats import date_format

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.models import Authority
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit

from ..audit import Audit
from ..models import Organisation, Service
from ..selectors.freshness import check_due_on, listing_policy_for


def assurer_address(service: Service) -> str:
    """The address published as the listing's assurer: the organisation's, the service's, or for
    an in-house service the council's. Never the address of the person who clicked."""
    organisation = service.organisation
    return organisation.email or service.email or organisation.authority.contact_email


def mark_checked(service: Service, *, checked_by, on: dt.date) -> None:
    """Record the check on a row the caller has locked, in the caller's transaction."""
    service.assured_on = on
    service.assured_by = checked_by
    service.assurer_email = assurer_address(service)
    service.freshness_reminded_on = None
    service.save(update_fields=["assured_on", "assured_by", "assurer_email", "freshness_reminded_on"])


@transaction.atomic(durable=True)
def listing_confirm(
    *, service: Service, confirmed_by, as_council: bool = False, today: dt.date | None = None
) -> Service:
    """`as_council`: an officer confirming for the council, allowed only for in-house services
    (a provider's listing is the provider's to vouch for)."""
    service = (
        Service.objects.select_for_update(of=("self",)).select_related("organisation__authority").get(pk=service.pk)
    )
    if as_council and service.organisation.kind != Organisation.Kind.IN_HOUSE:
        raise NotAllowed(
            f"{service.organisation.name} confirms its own listings: only in-house services are yours to confirm."
        )
    today = today or timezone.localdate()
    mark_checked(service, checked_by=confirmed_by, on=today)
    audit_record(
        authority=service.authority,
        actor=confirmed_by,
        action=Audit.LISTING_CONFIRMED,
        target=service,
        summary=f"Confirmed the listing of {service.name} is still right",
        details={"as_council": as_council},
    )
    return service


def _due_for_reminder(authority: Authority, today: dt.date) -> list[Service]:
    """Published listings not yet reminded whose check runs out within the reminder's days,
    and those never checked at all (listed before checks began); for each organisation, the
    dated ones first."""
    policy = listing_policy_for(authority)
    remind_from = today - dt.timedelta(days=policy.check_every_days - policy.remind_days_before)
    return list(
        Service.objects.filter(
            Q(assured_on__lte=remind_from) | Q(assured_on__isnull=True),
            authority=authority,
            is_published=True,
            organisation__is_published=True,
            freshness_reminded_on__isnull=True,
        )
        .exclude(status=Service.Status.DEFUNCT)
        .select_related("organisation")
        .order_by("organisation__name", Case(When(assured_on__isnull=True, then=1), default=0), "name")
    )


def _recipients(organisation: Organisation) -> list[str]:
    people = RoleAssignment.objects.filter(organisation=organisation, role=Role.PROVIDER).select_related("user")
    emails = sorted({assignment.user.email.lower() for assignment in people if assignment.user.email})
    if emails:
        return emails
    fallback = organisation.email or (
        organisation.authority.contact_email if organisation.kind == Organisation.Kind.IN_HOUSE else ""
    )
    return [fallback] if fallback else []


def _reminder_body(organisation: Organisation, services: list[Service], today: dt.date, policy) -> str:
    lines = []
    for service in services:
        due = check_due_on(service, policy)
        if due is None:
            lines.append(f"- {service.name}: not checked yet")
        elif due < today:
            lines.append(f"- {service.name}: out of date since {date_format(due, 'j F Y')}")
        else:
            lines.append(f"- {service.name}: check by {date_format(due, 'j F Y')}")
    link = absolute(organisation.authority, "directory:provider-home") + f"?org={organisation.pk}"
    return (
        f"Please check that these listings of {organisation.name} are still right:\n\n"
        + "\n".join(lines)
        + "\n\nFamilies rely on the directory being up to date. Listings not checked for "
        f"{policy.check_every_days} days are shown after the others in search. "
        "It takes a minute: open your services, read each listing, and either confirm it is still right "
        "or change what is wrong.\n\n"
        f"{link}\n"
    )


def listing_send_check_reminders(*, today: dt.date | None = None) -> int:
    """Remind each organisation, once per check, of its listings falling out of date within the
    policy's reminder days (and of those never checked). Run daily (`shortbreaks send_reminders`);
    running it again sends nothing new. Returns the number of emails queued."""
    today = today or timezone.localdate()
    sent = 0
    for authority in Authority.objects.all():
        policy = listing_policy_for(authority)
        by_organisation: dict = defaultdict(list)
        for service in _due_for_reminder(authority, today):
            by_organisation[service.organisation].append(service)
        for organisation, services in by_organisation.items():
            with transaction.atomic():
                # Lock and re-read: another run may have reminded them meanwhile.
                ids = list(
                    Service.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=[s.pk for s in services], freshness_reminded_on__isnull=True)
                    .values_list("pk", flat=True)
                )
                services = [s for s in services if s.pk in set(ids)]
                recipients = _recipients(organisation)
                if not services or not recipients:
                    continue
                Service.objects.filter(pk__in=ids).update(freshness_reminded_on=today)
                for email in recipients:
                    email_after_commit(
                        to=[email],
                        subject=f"Check your short breaks listing{'s' if len(services) > 1 else ''}",
                        body=_reminder_body(organisation, services, today, policy),
                        why=f"you act for {organisation.name} on {authority.name}'s short breaks directory",
                        authority=authority,
                    )
                sent += len(recipients)
    return sent

"""Organisations registering themselves, and the council's decision. A registered organisation
waits, hidden, until a commissioner approves it: its people can sign in and draft listings,
but nothing of it is public (the database refuses to publish one that is not approved). The
person who registers it administers it (members.py)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.accounts.models import RoleAssignment
from shortbreaks.accounts.selectors import emails_of
from shortbreaks.accounts.services.signup import account_open
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import ChangedMeanwhile, NotAllowed
from shortbreaks.core.roles import Role
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.throttle import allow
from shortbreaks.directory.audit import Audit

from ..models import Organisation

REGISTRATIONS_PER_DAY = 5  # by one signed-in person; signing up has its own limits


@transaction.atomic(durable=True)
def organisation_register(
    *, authority, details: dict, registrant=None, account: dict | None = None, client: str = ""
) -> Organisation | None:
    """A new organisation, waiting for approval, administered by the person registering it.

    Signed in (`registrant`): their account gets the provider role for it. Signed out
    (`account`: full_name, email, password): an account is opened, working once its email is
    confirmed. If that address already has an account, nothing is kept and None is returned:
    the owner is emailed instead and the caller shows the same page as for a new one."""
    organisation = Organisation(
        authority=authority,
        registration=Organisation.Registration.PENDING,
        is_published=False,
        registered_by=registrant,
        **details,
    )
    if registrant is not None:
        if not allow("organisation-register", registrant.pk, limit=REGISTRATIONS_PER_DAY, per=dt.timedelta(days=1)):
            raise NotAllowed(
                f"You have registered {REGISTRATIONS_PER_DAY} organisations today. Register more tomorrow."
            )
        organisation.save()
        RoleAssignment.objects.create(
            user=registrant, authority=authority, role=Role.PROVIDER, organisation=organisation, administers=True
        )
        registrant.forget_roles()
        user = registrant
    else:
        # The account's provider role names the organisation, so the organisation comes first.
        organisation.save()
        user = account_open(
            authority=authority,
            full_name=account["full_name"],
            email=account["email"],
            password=account["password"],
            role=Role.PROVIDER,
            client=client,
            organisation=organisation,
            next_step=(
                f"To register {organisation.name}, sign in and fill in the form again: "
                f"{absolute(authority, 'directory:register')}"
            ),
        )
        if user is None:
            # Gone again inside the transaction: nobody learns the address has an account.
            organisation.delete()
            return None
        organisation.registered_by = user
        organisation.save(update_fields=["registered_by"])
    audit_record(
        authority=authority,
        actor=user,
        action=Audit.ORGANISATION_REGISTERED,
        target=organisation,
        summary=f"{user.display_name} registered {organisation.name}",
        details={"kind": organisation.kind, "signed_in": registrant is not None},
    )
    email_after_commit(
        to=emails_of(authority=authority, role=Role.COMMISSIONER),
        subject=f"Organisation to approve: {organisation.name}",
        body=(
            f"{user.display_name} has registered {organisation.name} ({organisation.get_kind_display().lower()}) "
            "to offer short breaks. Nothing of it is public until you approve it.\n\n"
            f"Check it, and whether it is already in the directory under another name:\n"
            f"{absolute(authority, 'directory:manage-registration', organisation.pk)}\n"
        ),
        why=f"as a commissioner at {authority.name}, you approve the organisations that register to offer short breaks",
        authority=authority,
    )
    return organisation


def _locked_waiting(organisation: Organisation) -> Organisation:
    organisation = (
        Organisation.objects.select_for_update(of=("self",)).select_related("registered_by").get(pk=organisation.pk)
    )
    if organisation.registration != Organisation.Registration.PENDING:
        raise ChangedMeanwhile(
            f"This registration has already been decided: it is {organisation.get_registration_display().lower()}."
        )
    return organisation


def _tell_organisation(organisation: Organisation, *, subject: str, body: str) -> None:
    """The person who registered it, its administrators and its main contact."""
    administrators = RoleAssignment.objects.filter(
        organisation=organisation, role=Role.PROVIDER, administers=True, user__is_active=True
    ).values_list("user__email", flat=True)
    registrant = [organisation.registered_by.email] if organisation.registered_by else []
    email_after_commit(
        to=[*registrant, *administrators, organisation.email],
        subject=subject,
        body=body,
        why=f"{organisation.name} registered with {organisation.authority.name} to offer short breaks",
        authority=organisation.authority,
    )


@transaction.atomic(durable=True)
def registration_approve(*, organisation: Organisation, decided_by) -> Organisation:
    organisation = _locked_waiting(organisation)
    organisation.registration = Organisation.Registration.APPROVED
    organisation.is_published = True
    organisation.refusal_reason = ""
    organisation.decided_by, organisation.decided_at = decided_by, timezone.now()
    organisation.save(
        update_fields=["registration", "is_published", "refusal_reason", "decided_by", "decided_at", "updated_at"]
    )
    audit_record(
        authority=organisation.authority,
        actor=decided_by,
        action=Audit.ORGANISATION_APPROVED,
        target=organisation,
        summary=f"Approved the registration of {organisation.name}",
    )
    home = absolute(organisation.authority, "directory:provider-home") + f"?org={organisation.pk}"
    _tell_organisation(
        organisation,
        subject=f"{organisation.name} is approved",
        body=(
            f"{organisation.authority.name} has approved {organisation.name}. Families can now find its services "
            "in the directory once each has been approved.\n\n"
            f"Your organisation's page: {home}\n"
        ),
    )
    return organisation


@transaction.atomic(durable=True)
def registration_refuse(*, organisation: Organisation, decided_by, reason: str) -> Organisation:
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed("Say why you are refusing the registration.")
    organisation = _locked_waiting(organisation)
    organisation.registration = Organisation.Registration.REFUSED
    organisation.is_published = False
    organisation.refusal_reason = reason
    organisation.decided_by, organisation.decided_at = decided_by, timezone.now()
    organisation.save(
        update_fields=["registration", "is_published", "refusal_reason", "decided_by", "decided_at", "updated_at"]
    )
    audit_record(
        authority=organisation.authority,
        actor=decided_by,
        action=Audit.ORGANISATION_REFUSED,
        target=organisation,
        summary=f"Refused the registration of {organisation.name}",
        details={"reason": reason},
    )
    _tell_organisation(
        organisation,
        subject=f"{organisation.name} has not been approved",
        body=(
            f"{organisation.authority.name} has not approved the registration of {organisation.name}.\n\n"
            f"The council's reason: {reason}\n\n"
            "Nothing of the organisation is shown to families. If you think this is a mistake, contact the "
            "council's short breaks team.\n"
        ),
    )
    return organisation

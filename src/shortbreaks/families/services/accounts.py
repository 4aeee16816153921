"""Who joins a family's account: another parent or carer (invited by a parent of the family,
or linked by an officer), and a young person to their own record (invited by a parent of the
family or an officer, from the authority's `young_person_from_age`).

The invitations themselves are the accounts app's (accounts.services.invitations: the emailed
one-time link, the account it opens). This module decides who may be invited to what; when an
invitation is accepted, receivers.py calls `carer_join` or `young_person_link` inside the
accepting transaction, and a NotAllowed from either refuses the whole acceptance."""

from django.db import transaction
from django.db.models import Q

from shortbreaks.accounts.models import Invitation, normalise_email
from shortbreaks.accounts.selectors import account_policy
from shortbreaks.accounts.services.invitations import invitation_send
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.lookups import valid_pk
from shortbreaks.core.roles import Role
from shortbreaks.families.audit import Audit

from ..models import Carer, Child, Family

CARER = Invitation.Purpose.CARER
YOUNG_PERSON = Invitation.Purpose.YOUNG_PERSON


class InvitationRefused(NotAllowed):
    """An invitation that cannot be sent; `field` is the form field the message belongs to."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _carer_with_account(family: Family, email: str) -> bool:
    return family.carers.filter(user__isnull=False).filter(Q(user__email=email) | Q(email__iexact=email)).exists()


@transaction.atomic(durable=True)
def carer_invite(
    *, family: Family, full_name: str, email: str, relationship: str, invited_by, by_officer: bool = False
) -> Invitation:
    """Email another parent or carer a link to join the family's account. A carer already on
    the family's record without an account (from the caseload import) is linked when they
    accept with the same address."""
    email = normalise_email(email)
    if _carer_with_account(family, email):
        raise InvitationRefused(
            f"{email} is already a parent or carer on this family's account. Enter a different email address",
            field="email",
        )
    if family.children.filter(user__email=email).exists():
        raise InvitationRefused(
            "This is a young person's own email address. Enter the parent or carer's email address", field="email"
        )
    relationship = relationship.strip()
    invitation = invitation_send(
        authority=family.authority,
        purpose=CARER,
        email=email,
        invited_by=invited_by,
        what="join your family's short breaks account as a parent or carer",
        roles=[Role.PARENT],
        full_name=full_name,
        subject_id=str(family.pk),
        subject_label=f"the {family.reference} family",
        details={"relationship": relationship, "linked_by": "officer" if by_officer else "parent"},
    )
    audit_record(
        authority=family.authority,
        actor=invited_by,
        action=Audit.FAMILY_CARER_INVITED,
        target=family,
        summary=f"Invited {full_name.strip()} ({relationship}) to join family {family.reference}"
        + (", linked by an officer" if by_officer else ""),
        details={"invitation": str(invitation.pk)},
    )
    return invitation


@transaction.atomic(durable=True)
def young_person_invite(*, child: Child, email: str, invited_by) -> Invitation:
    """Email a young person a link to an account of their own, on their own record."""
    child = Child.objects.select_for_update(of=("self",)).select_related("family").get(pk=child.pk)
    email = normalise_email(email)
    from_age = account_policy(child.authority).young_person_from_age
    if child.age < from_age:
        raise InvitationRefused(
            f"Young people can have their own account from age {from_age}. {child.first_name} is {child.age}"
        )
    if child.user_id is not None:
        raise InvitationRefused(f"{child.first_name} already has their own account")
    if _carer_with_account(child.family, email) or child.family.carers.filter(email__iexact=email).exists():
        raise InvitationRefused(
            f"This is a parent or carer's email address. Enter {child.first_name}'s own email address", field="email"
        )
    invitation = invitation_send(
        authority=child.authority,
        purpose=YOUNG_PERSON,
        email=email,
        invited_by=invited_by,
        what="have your own short breaks account, to see your short breaks and tell us what you think",
        roles=[Role.YOUNG_PERSON],
        full_name=f"{child.first_name} {child.last_name}",
        subject_id=str(child.pk),
        subject_label=f"{child.first_name} {child.last_name[:1]}.'s own record",
    )
    audit_record(
        authority=child.authority,
        actor=invited_by,
        action=Audit.FAMILY_YOUNG_PERSON_INVITED,
        target=child,
        summary=f"Invited {child.first_name} to have their own account",
        details={"invitation": str(invitation.pk)},
    )
    return invitation


def carer_join(*, invitation: Invitation, user) -> Carer:
    """The accepted carer's row on the family (once, however often this runs). Inside the
    accepting transaction."""
    pk = valid_pk(Family, invitation.subject_id)
    family = Family.objects.select_for_update().filter(authority=invitation.authority, pk=pk).first() if pk else None
    if family is None:
        raise NotAllowed("The family this invitation was for is no longer on our records. Contact the council.")
    if family.children.filter(user=user).exists():
        raise NotAllowed(
            "You have your own young person's account in this family, so you cannot also join it as a parent or carer."
        )
    relationship = (invitation.details.get("relationship") or "Parent or carer")[:50]
    carer = family.carers.filter(user=user).first()
    if carer is not None:
        return carer
    # A carer on the record without an account yet (the caseload import) becomes this one.
    carer = family.carers.filter(user__isnull=True, email__iexact=user.email).first()
    if carer is not None:
        carer.user, carer.relationship = user, relationship
        carer.save(update_fields=["user", "relationship"])
    else:
        carer = Carer.objects.create(
            family=family, user=user, full_name=user.display_name, email=user.email, relationship=relationship
        )
    audit_record(
        authority=family.authority,
        actor=user,
        action=Audit.FAMILY_CARER_JOINED,
        target=family,
        summary=f"{carer.full_name} ({relationship}) joined family {family.reference}"
        + (", linked by an officer" if invitation.details.get("linked_by") == "officer" else ""),
    )
    return carer


def young_person_link(*, invitation: Invitation, user) -> Child:
    """The young person's account on their own record. Inside the accepting transaction."""
    pk = valid_pk(Child, invitation.subject_id)
    child = Child.objects.select_for_update().filter(authority=invitation.authority, pk=pk).first() if pk else None
    if child is None:
        raise NotAllowed("The record this invitation was for is no longer held. Contact the council.")
    if child.user_id == user.pk:
        return child
    if child.user_id is not None:
        raise NotAllowed(
            "This record already has its own account, linked to someone else. Contact the council if this is wrong."
        )
    if Child.objects.filter(user=user).exists():
        raise NotAllowed("Your account is already linked to a young person's record. Contact the council.")
    if Carer.objects.filter(family_id=child.family_id, user=user).exists():
        raise NotAllowed(
            f"This invitation is for {child.first_name}'s own account, and you are a parent or carer in the family. "
            f"{child.first_name} needs to accept it with their own email address."
        )
    child.user = user
    child.save(update_fields=["user"])
    audit_record(
        authority=child.authority,
        actor=user,
        action=Audit.FAMILY_YOUNG_PERSON_LINKED,
        target=child,
        summary=f"{child.first_name} now has their own account",
    )
    return child

"""What the families app does when an invitation to it is accepted (accounts.signals): a
carer joins the family, a young person's account is linked to their record. Connected in
apps.py; runs inside the accepting transaction, and a NotAllowed refuses the acceptance."""

from shortbreaks.accounts.models import Invitation

from .services.accounts import carer_join, young_person_link


def invitation_accepted(sender, *, invitation, user, **kwargs):
    if invitation.purpose == Invitation.Purpose.CARER:
        carer_join(invitation=invitation, user=user)
    elif invitation.purpose == Invitation.Purpose.YOUNG_PERSON:
        young_person_link(invitation=invitation, user=user)

"""Invitations to a family's account not yet accepted or withdrawn: to its other parents and
carers, and to its young people's own accounts."""

from django.db.models import Q

from shortbreaks.accounts.models import Invitation


def pending_for(*, authority, families=(), children=()):
    """Carers' invitations to these families and young people's to these children, newest first."""
    family_ids = [str(f.pk) for f in families]
    child_ids = [str(c.pk) for c in children]
    return Invitation.objects.filter(
        Q(purpose=Invitation.Purpose.CARER, subject_id__in=family_ids)
        | Q(purpose=Invitation.Purpose.YOUNG_PERSON, subject_id__in=child_ids),
        authority=authority,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
    ).select_related("invited_by")

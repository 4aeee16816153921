"""Schemes: a commissioner groups sessions from several providers under one coordinator."""

from django.db import transaction

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed

from ..models import RequestRound, Scheme, Session


@transaction.atomic(durable=True)
def scheme_create(*, authority, name: str, coordinator, description: str, created_by) -> Scheme:
    if coordinator.authority_id != authority.pk:
        raise NotAllowed("Choose an organisation listed with this council.")
    scheme = Scheme.objects.create(
        authority=authority, name=name.strip(), coordinator=coordinator, description=description.strip()
    )
    audit_record(
        authority=authority,
        actor=created_by,
        action=Audit.SCHEME_CREATED,
        target=scheme,
        summary=f"Scheme {scheme} coordinated by {coordinator}",
    )
    return scheme


@transaction.atomic(durable=True)
def scheme_sessions_change(*, scheme: Scheme, add: list[Session], remove: list[Session], changed_by) -> None:
    """Sessions join or leave a scheme; not while a request round is under way, since the
    families asking chose from the sessions it had."""
    if RequestRound.objects.filter(scheme=scheme).exclude(status=RequestRound.Status.CONFIRMED).exists():
        raise NotAllowed("The scheme's sessions cannot change while a request round is under way.")
    if any(s.authority_id != scheme.authority_id for s in [*add, *remove]):
        raise NotAllowed("Only this council's sessions can be in its schemes.")
    if any(s.scheme_id not in (None, scheme.pk) for s in add):
        raise NotAllowed("A session can be in one scheme only.")
    Session.objects.filter(pk__in=[s.pk for s in add]).update(scheme=scheme)
    Session.objects.filter(pk__in=[s.pk for s in remove], scheme=scheme).update(scheme=None)
    audit_record(
        authority=scheme.authority,
        actor=changed_by,
        action=Audit.SCHEME_SESSIONS,
        target=scheme,
        summary=f"{len(add)} session(s) added to and {len(remove)} removed from {scheme}",
    )

"""Waiting lists: a family joins one only for a session that is full and that their child could
otherwise book, answers the offer of a freed place, or leaves; offers nobody answered move on.
Places are freed and offered by booking.offer_next_place, under the session's lock."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shortbreaks.bookings.audit import Audit
from shortbreaks.core.audit import audit_record
from shortbreaks.core.errors import NotAllowed
from shortbreaks.core.locking import busy_on_lock_timeout
from shortbreaks.core.sites import absolute
from shortbreaks.core.tasks import email_after_commit
from shortbreaks.core.templatetags.govuk import time_range
from shortbreaks.families.models import Child
from shortbreaks.families.selectors.access import children_of_carer

from ..models import Booking, Session, WaitingListEntry
from ..selectors.bookable import unbookable
from ..selectors.capacity import taken_in
from .booking import booking_create, child_problems, offer_next_place

OPEN = (WaitingListEntry.Status.WAITING, WaitingListEntry.Status.OFFERED)


def _own(user, authority, children) -> None:
    ids = {c.pk for c in children}
    if children_of_carer(user=user, authority=authority).filter(pk__in=ids).count() != len(ids):
        raise NotAllowed("You can only add children in your own family.")


@transaction.atomic(durable=True)
def waiting_lists_join(
    *, sessions: list[Session], children: list[Child], added_by, with_transport: bool = False
) -> list[WaitingListEntry]:
    """Every child on every session's list, or none: each session must be full, and each child
    one who could book it if a place came up."""
    if not sessions or not children:
        raise NotAllowed("Choose at least one session and one child.")
    authority = sessions[0].authority
    _own(added_by, authority, children)
    now = timezone.now()
    if problems := unbookable(sessions, now=now):
        raise NotAllowed(problems[0])
    waiting = set(
        WaitingListEntry.objects.filter(session__in=sessions, child__in=children, status__in=OPEN).values_list(
            "session_id", "child_id"
        )
    )
    for session in sessions:
        for child in children:
            if (session.pk, child.pk) in waiting:
                raise NotAllowed(f"{child.first_name} is already on the waiting list for {session}.")
    if problems := child_problems(sessions, children):
        raise NotAllowed(problems[0])
    taken = taken_in(sessions, now=now)
    for session in sessions:
        if taken[session.pk].places + len(children) <= session.places:
            raise NotAllowed(f"{session} still has places: book it instead of joining the waiting list.")
    entries = []
    for session in sessions:
        for child in children:
            entry = WaitingListEntry.objects.create(
                authority=authority, session=session, child=child, added_by=added_by, with_transport=with_transport
            )
            audit_record(
                authority=authority,
                actor=added_by,
                action=Audit.WAITING_JOINED,
                target=entry,
                summary=f"{child.first_name} joined the waiting list for {session}",
            )
            entries.append(entry)
    _joined_by_email(entries)
    return entries


def _when(session: Session) -> str:
    return (
        f"{session.service.name} on {session.date:%A} {session.date.day} {session.date:%B %Y}, "
        f"{time_range(session.starts_at, session.ends_at)}"
    )


def _joined_by_email(entries: list[WaitingListEntry]) -> None:
    """After the commit, to each carer: which children wait for which sessions."""
    authority = entries[0].authority
    names = sorted({e.child.first_name for e in entries})
    lines = [f"{e.child.first_name}: {_when(e.session)}" for e in entries]
    email_after_commit(
        to=entries[0].child.family.contact_emails(),
        subject="You joined a waiting list" if len(lines) == 1 else "You joined waiting lists",
        body="You joined the waiting list for:\n\n"
        + "\n".join(lines)
        + "\n\nIf a place comes up, we will email you and hold it for you for a short time. "
        f"You can leave a waiting list from 'Your bookings': {absolute(authority, 'bookings:mine')}\n",
        why=f"you added {' and '.join(names)} to a waiting list",
        authority=authority,
    )


def waiting_list_join(*, session: Session, child: Child, added_by, with_transport: bool = False) -> WaitingListEntry:
    return waiting_lists_join(sessions=[session], children=[child], added_by=added_by, with_transport=with_transport)[0]


@busy_on_lock_timeout
@transaction.atomic(durable=True)
def waiting_list_leave(*, entry: WaitingListEntry, left_by) -> WaitingListEntry:
    """The family takes their child off the list. An offer they held is declined, and the place
    goes to the next family."""
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    entry = (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("child", "session__service")
        .get(pk=entry.pk)
    )
    if not children_of_carer(user=left_by, authority=session.authority).filter(pk=entry.child_id).exists():
        raise NotAllowed("You can only change your own family's waiting lists.")
    if entry.status not in OPEN:
        raise NotAllowed(f"{entry.child.first_name} is not on the waiting list for {session} any more.")
    held_offer = entry.status == WaitingListEntry.Status.OFFERED
    entry.status = WaitingListEntry.Status.LEFT
    entry.save(update_fields=["status"])
    audit_record(
        authority=session.authority,
        actor=left_by,
        action=Audit.WAITING_LEFT,
        target=entry,
        summary=f"{entry.child.first_name} left the waiting list for {session}"
        + (", declining the place offered" if held_offer else ""),
    )
    if held_offer:
        offer_next_place(session=session, now=timezone.now())
    email_after_commit(
        to=entry.child.family.contact_emails(),
        subject=f"{entry.child.first_name} has left a waiting list",
        body=f"{entry.child.first_name} is no longer on the waiting list for {_when(session)}."
        + (" The place you were offered goes to the next family." if held_offer else "")
        + " If you join again, your child goes to the back of the queue."
        f"\n\nSee your bookings: {absolute(session.authority, 'bookings:mine')}\n",
        why=f"you took {entry.child.first_name} off a waiting list",
        authority=session.authority,
    )
    return entry


def waiting_offer_answer(*, entry: WaitingListEntry, answered_by, accept: bool) -> Booking | None:
    """Accept (the place becomes a booking) or decline (it goes to the next family)."""
    entry = WaitingListEntry.objects.select_related("session", "child").get(pk=entry.pk)
    if entry.status != WaitingListEntry.Status.OFFERED or entry.offer_expires_at <= timezone.now():
        raise NotAllowed("This offer has ended.")
    if accept:
        group = booking_create(
            sessions=[entry.session],
            children=[entry.child],
            booked_by=answered_by,
            idempotency_key=f"offer:{entry.pk}",
            with_transport=entry.with_transport,
        )
        WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitingListEntry.Status.ACCEPTED)
        return group.bookings.get(child=entry.child)
    _decline(entry=entry, answered_by=answered_by)
    return None


@transaction.atomic(durable=True)
def _decline(*, entry: WaitingListEntry, answered_by) -> None:
    session = Session.objects.select_for_update().get(pk=entry.session_id)
    WaitingListEntry.objects.filter(pk=entry.pk).update(status=WaitingListEntry.Status.DECLINED)
    audit_record(
        authority=session.authority,
        actor=answered_by,
        action=Audit.WAITING_DECLINED,
        target=entry,
        summary=f"Offer on {session} declined",
    )
    offer_next_place(session=session, now=timezone.now())


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Offers nobody answered in time move on to the next family. Run every few minutes."""
    now = now or timezone.now()
    moved = 0
    for entry_id, session_id in WaitingListEntry.objects.filter(
        status=WaitingListEntry.Status.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", "session_id"):
        with transaction.atomic():
            session = Session.objects.select_for_update().get(pk=session_id)
            if WaitingListEntry.objects.filter(pk=entry_id, status=WaitingListEntry.Status.OFFERED).update(
                status=WaitingListEntry.Status.EXPIRED
            ):
                offer_next_place(session=session, now=now)
                moved += 1
    return moved

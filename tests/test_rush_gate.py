"""The rush's short path (bookings/rush.py): a session seen full is refused from memory for a
second, with the API's own answer, and never in a way that loses a booking, a retry or a place."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shortbreaks.bookings import rush
from shortbreaks.bookings.models import Booking, WaitingListEntry
from shortbreaks.bookings.services.booking import booking_cancel
from shortbreaks.core.roles import Role

from .factories import (
    fund,
    make_child,
    make_eligible,
    make_family,
    make_location,
    make_service,
    make_session,
    make_user,
    sign_in,
)


@pytest.fixture
def full(authority, organisation, parent):
    """A one-place session another family has booked; our parent's child would like it."""
    session = make_session(make_service(organisation, location=make_location(organisation)), places=1)
    mine, theirs = (
        make_child(make_family(authority, carer_user=user), name)
        for user, name in ((parent, "Amy"), (make_user(authority, Role.PARENT), "Zoe"))
    )
    for child in (mine, theirs):
        make_eligible(child)
        fund(child)
    return session, mine, theirs


def post(client, session, child, key=None):
    payload = {
        "session_ids": [str(session.pk)],
        "child_ids": [str(child.pk)],
        "idempotency_key": key or uuid.uuid4().hex,
    }
    return client.post("/api/bookings/", payload, content_type="application/json")


def _book_theirs(client, session, theirs, then):
    """The other family books the place; then our parent is signed in."""
    sign_in(client, theirs.family.carers.get().user)
    assert post(client, session, theirs).status_code == 201
    sign_in(client, then)


def test_a_session_seen_full_is_refused_from_memory_with_the_same_answer(client, full, parent):
    session, mine, theirs = full
    _book_theirs(client, session, theirs, then=parent)
    first = post(client, session, mine)  # the full path sees it full and remembers
    with CaptureQueriesContext(connection) as queries:
        second = post(client, session, mine)
    assert first.status_code == second.status_code == 409
    assert first.json() == second.json() and "is full" in second.json()["problems"][0]
    # Only the signed-in session and the idempotency key are read: nothing about the booking.
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]


def test_a_retry_of_a_booking_made_gets_its_booking_even_when_the_session_is_full(client, full, parent):
    session, mine, theirs = full
    sign_in(client, parent)
    booked = post(client, session, mine, key="retry-key-1")
    assert booked.status_code == 201
    sign_in(client, theirs.family.carers.get().user)
    assert post(client, session, theirs).status_code == 409  # now remembered full
    sign_in(client, parent)
    again = post(client, session, mine, key="retry-key-1")
    assert again.status_code == 201 and again.json()["group_id"] == booked.json()["group_id"]


def test_the_gate_answers_only_signed_in_parents_with_the_token(client, full, authority, parent):
    session, mine, theirs = full
    _book_theirs(client, session, theirs, then=parent)
    assert post(client, session, mine).status_code == 409  # remembered
    client.logout()
    assert post(client, session, mine).status_code == 401
    sign_in(client, make_user(authority, Role.PROVIDER, organisation=session.service.organisation))
    assert post(client, session, mine).status_code == 403
    sign_in(client, make_user(authority, Role.OFFICER))  # staff: never from the snapshot
    assert post(client, session, mine).status_code == 403


def test_the_gate_checks_the_csrf_token(full, parent):
    from django.test import Client

    session, mine, theirs = full
    helper = Client()
    _book_theirs(helper, session, theirs, then=parent)
    assert post(helper, session, mine).status_code == 409  # remembered
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, parent)
    refused = post(strict, session, mine)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]


def test_a_cancelled_place_can_be_booked_at_once(client, full, parent):
    session, mine, theirs = full
    _book_theirs(client, session, theirs, then=parent)
    assert post(client, session, mine).status_code == 409  # remembered
    booking_cancel(booking=Booking.objects.get(child=theirs), cancelled_by=theirs.family.carers.get().user)
    assert post(client, session, mine).status_code == 201


def test_a_place_held_for_an_offer_is_not_remembered_as_full(client, full, parent):
    """Full only with a place held for Amy's offer: Amy can still book it."""
    session, mine, theirs = full
    WaitingListEntry.objects.create(
        authority=session.authority,
        session=session,
        child=mine,
        added_by=parent,
        status=WaitingListEntry.Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=12),
    )
    sign_in(client, theirs.family.carers.get().user)
    assert post(client, session, theirs).status_code == 409  # the held place is not theirs
    assert not rush._full
    sign_in(client, parent)
    assert post(client, session, mine).status_code == 201


def test_what_is_remembered_expires(client, full, parent):
    session, mine, theirs = full
    _book_theirs(client, session, theirs, then=parent)
    assert post(client, session, mine).status_code == 409
    seen_at, authority_id, words = rush._full[session.pk]
    rush._full[session.pk] = (seen_at - rush.FULL_FOR - 0.1, authority_id, words)
    with CaptureQueriesContext(connection) as queries:
        assert post(client, session, mine).status_code == 409
    assert len(queries.captured_queries) > 2  # asked the database again


def test_what_a_session_has_taken_is_counted_from_its_bookings_and_open_offers(authority, organisation, parent):
    """The locked part's one statement (selectors/capacity.taken_in) against the rows: live
    bookings with their staff and seats, open offers to other children (by their support), and
    nothing for cancelled bookings, expired offers or the children now booking."""
    from shortbreaks.bookings.selectors.capacity import taken_in

    from .factories import booked

    service = make_service(organisation, location=make_location(organisation))
    session, other = make_session(service, places=10, seats=4), make_session(service, places=5)
    family = make_family(authority, carer_user=parent)
    kids = [make_child(family, name) for name in ("Amy", "Ben", "Cal", "Dee", "Eve", "Fay")]
    kids[1].support = "two_to_one"
    kids[1].save(update_fields=["support"])
    live = booked(session, kids[0], status="confirmed")
    live.staff_units, live.with_transport = 1, True
    live.save(update_fields=["staff_units", "with_transport"])
    booked(session, kids[1], status="attended")
    booked(session, kids[2], status="cancelled")
    booked(other, kids[0], status="confirmed")
    later, earlier = timezone.now() + dt.timedelta(hours=6), timezone.now() - dt.timedelta(hours=1)
    for child, expires, transport in ((kids[1], later, True), (kids[3], later, False), (kids[4], earlier, False)):
        WaitingListEntry.objects.create(
            authority=authority,
            session=session,
            child=child,
            added_by=parent,
            with_transport=transport,
            status=WaitingListEntry.Status.OFFERED,
            offer_expires_at=expires,
        )
    taken = taken_in([session, other], now=timezone.now(), excluding_children=[kids[3]])
    # Bookings: Amy (1 staff, transport) and Ben; offers: Ben's (two-to-one, transport), not
    # Dee's (she is booking) nor Eve's (expired).
    assert (taken[session.pk].places, taken[session.pk].booked) == (3, 2)
    assert (taken[session.pk].staff, taken[session.pk].seats) == (1 + 0 + 2, 2)
    assert (taken[other.pk].places, taken[other.pk].booked, taken[other.pk].staff) == (1, 1, 0)
    assert taken_in([], now=timezone.now()) == {}


def test_the_locked_clash_check_looks_only_when_there_may_be_a_clash(authority, organisation, parent):
    """clashes.booked_elsewhere_nearby, the locked part's short statement: a live booking on
    another session on or beside the day counts; one on the chosen session, a cancelled one or
    one a week away does not."""
    from shortbreaks.bookings.selectors.clashes import booked_elsewhere_nearby

    from .factories import booked

    service = make_service(organisation, location=make_location(organisation))
    chosen = make_session(service)
    day_before, week_on = make_session(service, days_ahead=13), make_session(service, days_ahead=21)
    amy, ben = (make_child(make_family(authority, carer_user=parent), name) for name in ("Amy", "Ben"))
    booked(chosen, amy, status="confirmed")
    booked(week_on, amy, status="confirmed")
    booked(day_before, ben, status="cancelled")
    assert not booked_elsewhere_nearby([chosen], [amy, ben])
    booked(day_before, ben, status="confirmed")
    assert booked_elsewhere_nearby([chosen], [amy, ben]) and not booked_elsewhere_nearby([chosen], [amy])
    assert not booked_elsewhere_nearby([], [amy])
